package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.NodeMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a set of filesystem nodes as a reproducible tar layer: the same set, in any order, gives
 * the same bytes.
 *
 * <ul>
 *   <li>Entries sorted by path (byte order), so every parent precedes its children; a missing
 *       parent directory is added as root-owned 0755 at the epoch. An ancestor that is in the set
 *       but not a directory is an error (a node under a symlink cannot be written).
 *   <li>Duplicate paths must be the same node; different nodes for one path are an error (there is
 *       no order-independent way to pick one).
 *   <li>The root "/" is not written: {@code docker export} and the engine's own layers carry no
 *       root entry, and {@code docker load} creates it 0755.
 *   <li>Names without a leading "/" ({@code usr/bin/java}), directories with a trailing "/".
 *   <li>Metadata copied from the node: mode, uid/gid, uname/gname, mtime (PAX when sub-second),
 *       every carried PAX header (xattrs, so file capabilities survive). Nothing from the clock or
 *       the host.
 *   <li>Content streamed from {@code Blob.open()}, never whole in memory; a blob whose stream
 *       length differs from its size fails the write.
 *   <li>Hard links: the nodes sharing an inode (a regular file or other non-directory node T and
 *       every {@link FsNode.HardLink} to T in the set) are written so that the first of them in
 *       path order is a full entry carrying T's type, content and metadata, and every later one is
 *       a hard-link entry to that first path. A tar reader must see a link's target before the
 *       link, and this holds whichever path sorts first. The set must contain T itself: a hard link
 *       whose target is absent has no content to write and is an error (the assembly step keeps
 *       targets).
 * </ul>
 */
public final class ReproducibleTarWriter {

  /** Writes the nodes and the end-of-archive marker; {@code out} is flushed, not closed. */
  public void write(Collection<? extends FsNode> nodes, OutputStream out) throws IOException {
    TreeMap<String, FsNode> byPath = new TreeMap<>();
    for (FsNode node : nodes) {
      FsNode old = byPath.putIfAbsent(node.path(), node);
      if (old != null && !old.equals(node)) {
        throw new IllegalArgumentException("two different nodes for " + node.path());
      }
    }
    addMissingParents(byPath);
    Map<String, String> writtenAs = inodeLeaders(byPath);

    TarStreamWriter tar = new TarStreamWriter(out);
    for (FsNode node : byPath.values()) {
      if (node.path().equals(FsPath.ROOT)) {
        continue;
      }
      String name = TarNames.toTarName(node.path());
      String leader = writtenAs.get(node.path());
      if (leader != null && !leader.equals(node.path())) {
        tar.addHardLink(name, node.meta(), TarNames.toTarName(leader));
        continue;
      }
      FsNode content = node instanceof FsNode.HardLink h ? inode(byPath, h) : node;
      NodeMeta meta = node instanceof FsNode.HardLink ? content.meta() : node.meta();
      writeFull(tar, name, meta, content);
    }
    tar.finish();
  }

  private static void writeFull(TarStreamWriter tar, String name, NodeMeta meta, FsNode content)
      throws IOException {
    if (content instanceof FsNode.Directory) {
      tar.addDirectory(name, meta);
    } else if (content instanceof FsNode.RegularFile f) {
      try (InputStream in = f.content().open()) {
        tar.addFile(name, meta, f.size(), in);
      } catch (IOException e) {
        throw new IOException("writing /" + name + ": " + e.getMessage(), e);
      }
    } else if (content instanceof FsNode.Symlink s) {
      tar.addSymlink(name, meta, s.target());
    } else if (content instanceof FsNode.Special s) {
      switch (s.kind()) {
        case CHAR_DEVICE -> tar.addCharDevice(name, meta, s.devMajor(), s.devMinor());
        case BLOCK_DEVICE -> tar.addBlockDevice(name, meta, s.devMajor(), s.devMinor());
        case FIFO -> tar.addFifo(name, meta);
      }
    } else {
      throw new IllegalStateException("unresolved hard link " + content.path());
    }
  }

  private static void addMissingParents(TreeMap<String, FsNode> byPath) {
    List<FsNode> added = new ArrayList<>();
    for (FsNode node : byPath.values()) {
      for (String ancestor : FsPath.ancestors(node.path())) {
        FsNode a = byPath.get(ancestor);
        if (a == null) {
          added.add(new FsNode.Directory(ancestor, NodeMeta.of(0755)));
        } else if (!(a instanceof FsNode.Directory)) {
          throw new IllegalArgumentException(
              node.path() + " lies below " + ancestor + ", which is not a directory");
        }
      }
    }
    for (FsNode d : added) {
      byPath.putIfAbsent(d.path(), d);
    }
  }

  /** The node a hard link stands for, following links to links (at most the set's size). */
  private static FsNode inode(Map<String, FsNode> byPath, FsNode.HardLink link) {
    FsNode n = link;
    for (int i = 0; n instanceof FsNode.HardLink h; i++) {
      n = byPath.get(h.target());
      if (n == null) {
        throw new IllegalArgumentException(
            "hard link " + link.path() + " -> " + h.target() + ": target not in the layer");
      }
      if (i > byPath.size()) {
        throw new IllegalArgumentException("hard link loop at " + link.path());
      }
    }
    if (n instanceof FsNode.Directory) {
      throw new IllegalArgumentException("hard link " + link.path() + " to a directory");
    }
    return n;
  }

  /** For each path sharing an inode, the first path of its group in path order. */
  private static Map<String, String> inodeLeaders(TreeMap<String, FsNode> byPath) {
    Map<String, String> leaderOfInode = new HashMap<>();
    Map<String, String> out = new HashMap<>();
    for (FsNode node : byPath.values()) { // path order: the first member met becomes the leader
      if (node instanceof FsNode.HardLink h) {
        String inode = inode(byPath, h).path();
        String leader = leaderOfInode.computeIfAbsent(inode, k -> node.path());
        out.put(node.path(), leader);
      } else if (!(node instanceof FsNode.Directory)) {
        leaderOfInode.putIfAbsent(node.path(), node.path());
      }
    }
    for (Map.Entry<String, String> e : leaderOfInode.entrySet()) {
      out.putIfAbsent(e.getKey(), e.getValue());
    }
    return out;
  }
}
