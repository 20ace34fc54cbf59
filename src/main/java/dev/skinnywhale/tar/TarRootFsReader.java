package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a tar stream (an engine's {@code GET /containers/{id}/export}) into a {@link RootFs}:
 * metadata in memory, content read on demand from a spool file.
 *
 * <p>The stream is copied to a temporary file in the spool directory, then its headers are walked
 * by {@link TarWalker} (data skipped, not read); each regular file's blob is a window on the spool
 * file (mapped for {@code read}, positional reads for {@code open}), so a 1 GB filesystem costs
 * heap only for its metadata. The spool file is deleted when the RootFs is closed, and at once when
 * reading fails.
 *
 * <p>Formats: ustar (with prefix), PAX (local and global headers), GNU long names and link names
 * ('L'/'K'), base-256 numbers. Sparse entries are rejected (the engine's Go writer never produces
 * them). Untrusted names are confined by {@link TarNames#normalize}; hard-link targets too; symlink
 * targets are kept verbatim. A later entry for a path replaces an earlier one.
 *
 * <p>Strings are bytes decoded as ISO-8859-1, PAX values included, so a binary {@code
 * SCHILY.xattr.security.capability} reaches {@link NodeMeta#paxHeaders()} unchanged.
 */
public final class TarRootFsReader {
  private static final int WALK_BUFFER = 64 * 1024;

  public RootFs read(InputStream tarStream, Path spoolDir) throws IOException {
    Path spool = Files.createTempFile(spoolDir, "skinnywhale-export-", ".tar");
    SpoolFile file = null;
    boolean ok = false;
    try {
      try (OutputStream out = Files.newOutputStream(spool)) {
        tarStream.transferTo(out);
      } catch (IOException e) {
        throw new IOException("spooling tar stream to " + spool + ": " + e.getMessage(), e);
      }
      file = new SpoolFile(spool);
      List<FsNode> nodes = index(file);
      RootFs fs = RootFs.of(nodes, file);
      ok = true;
      return fs;
    } finally {
      if (!ok) {
        if (file != null) {
          file.close();
        }
        Files.deleteIfExists(spool);
      }
    }
  }

  private static List<FsNode> index(SpoolFile file) throws IOException {
    Map<String, FsNode> nodes = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file.path()), WALK_BUFFER)) {
      TarWalker walker = new TarWalker(new TarInput(in, OptionalLong.of(file.size())));
      for (Optional<TarEntry> e = walker.next(); e.isPresent(); e = walker.next()) {
        FsNode node =
            node(
                e.get(),
                e.get().type() == TarEntry.Type.FILE
                    ? file.blob(walker.dataOffset(), e.get().size())
                    : null);
        nodes.remove(node.path()); // a later duplicate replaces the earlier one
        nodes.put(node.path(), node);
      }
    }
    return new ArrayList<>(nodes.values());
  }

  /** The node of an entry; {@code content} is a regular file's (null for other types). */
  public static FsNode node(TarEntry e, dev.skinnywhale.rootfs.Blob content) {
    return switch (e.type()) {
      case FILE -> new FsNode.RegularFile(e.path(), e.meta(), content);
      case DIRECTORY -> new FsNode.Directory(e.path(), e.meta());
      case HARD_LINK -> new FsNode.HardLink(e.path(), e.meta(), e.link());
      case SYMLINK -> new FsNode.Symlink(e.path(), e.meta(), e.link());
      case CHAR_DEVICE ->
          new FsNode.Special(
              e.path(), e.meta(), FsNode.Special.Kind.CHAR_DEVICE, e.devMajor(), e.devMinor());
      case BLOCK_DEVICE ->
          new FsNode.Special(
              e.path(), e.meta(), FsNode.Special.Kind.BLOCK_DEVICE, e.devMajor(), e.devMinor());
      case FIFO ->
          new FsNode.Special(
              e.path(), e.meta(), FsNode.Special.Kind.FIFO, e.devMajor(), e.devMinor());
    };
  }

  static Instant paxTime(String value, long headerPos) throws TarFormatException {
    return TarHeaders.paxTime(value, headerPos);
  }
}
