package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The entries the engine itself adds or touches when it makes a container (its init layer: {@code
 * /dev}, {@code /etc} and its placeholder files, {@code /proc}, {@code /sys}, {@code /.dockerenv};
 * and the working directory it creates when the image lacks it): in an export they carry the time
 * the container was made, so the same image read twice would give different bytes. Here they take
 * their metadata from the image's own layers when the image has them (as the same kind of node),
 * else the export's with a fixed mtime (the epoch, as the layer writer's synthesised entries).
 */
public final class EngineEntries {
  /** The fixed mtime of an entry the engine made that the image does not have. */
  public static final Instant FIXED_MTIME = Instant.EPOCH;

  /** What the engine's init layer makes in every container. */
  static final List<String> INIT_LAYER =
      List.of(
          "/.dockerenv",
          "/dev",
          "/dev/console",
          "/dev/pts",
          "/dev/shm",
          "/etc",
          "/etc/hostname",
          "/etc/hosts",
          "/etc/mtab",
          "/etc/resolv.conf",
          "/proc",
          "/sys");

  private EngineEntries() {}

  /**
   * The paths the engine may have touched in a container of an image with this working directory
   * ("" for none): the init layer's, and the working directory with its ancestors (made, and so
   * their parents' mtimes changed, when missing).
   */
  public static Set<String> touched(String workingDir) {
    Set<String> out = new TreeSet<>(INIT_LAYER);
    if (workingDir.startsWith("/")) {
      String dir = FsPath.normalize(FsPath.fromText(workingDir));
      if (!dir.equals(FsPath.ROOT)) {
        out.add(dir);
        out.addAll(FsPath.ancestors(dir));
        out.remove(FsPath.ROOT);
      }
    }
    return out;
  }

  /**
   * {@code export} with the metadata of each of {@code touched} that it has and that is not one of
   * {@code userChanges} (a container's own change set: the user's, kept as exported) taken from
   * {@code image} (the image's own entries of those paths), else given {@link #FIXED_MTIME}. The
   * result owns {@code export}: closing it closes {@code export}.
   */
  public static RootFs restore(
      RootFs export, Set<String> touched, Map<String, TarEntry> image, Set<String> userChanges) {
    List<FsNode> nodes = new ArrayList<>();
    export
        .nodes()
        .forEach(
            node -> {
              if (!touched.contains(node.path()) || userChanges.contains(node.path())) {
                nodes.add(node);
                return;
              }
              NodeMeta meta =
                  Optional.ofNullable(image.get(node.path()))
                      .filter(e -> sameKind(node, e.type()))
                      .map(TarEntry::meta)
                      .orElseGet(() -> fixed(node.meta()));
              nodes.add(withMeta(node, meta));
            });
    return export.withNodes(nodes);
  }

  private static NodeMeta fixed(NodeMeta m) {
    return new NodeMeta(
        m.mode(), m.uid(), m.gid(), m.userName(), m.groupName(), FIXED_MTIME, m.paxHeaders());
  }

  private static boolean sameKind(FsNode node, TarEntry.Type type) {
    if (node instanceof FsNode.RegularFile || node instanceof FsNode.HardLink) {
      return type == TarEntry.Type.FILE || type == TarEntry.Type.HARD_LINK;
    }
    if (node instanceof FsNode.Directory) {
      return type == TarEntry.Type.DIRECTORY;
    }
    if (node instanceof FsNode.Symlink) {
      return type == TarEntry.Type.SYMLINK;
    }
    FsNode.Special s = (FsNode.Special) node;
    return switch (s.kind()) {
      case CHAR_DEVICE -> type == TarEntry.Type.CHAR_DEVICE;
      case BLOCK_DEVICE -> type == TarEntry.Type.BLOCK_DEVICE;
      case FIFO -> type == TarEntry.Type.FIFO;
    };
  }

  static FsNode withMeta(FsNode node, NodeMeta meta) {
    if (node instanceof FsNode.RegularFile f) {
      return new FsNode.RegularFile(f.path(), meta, f.content());
    }
    if (node instanceof FsNode.Directory d) {
      return new FsNode.Directory(d.path(), meta);
    }
    if (node instanceof FsNode.Symlink l) {
      return new FsNode.Symlink(l.path(), meta, l.target());
    }
    if (node instanceof FsNode.HardLink h) {
      return new FsNode.HardLink(h.path(), meta, h.target());
    }
    FsNode.Special s = (FsNode.Special) node;
    return new FsNode.Special(s.path(), meta, s.kind(), s.devMajor(), s.devMinor());
  }
}
