package dev.skinnywhale.linker;

import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

/**
 * Test only: a {@link RootFs} view of parts of the host's filesystem. Nothing is followed: symlinks
 * stay symlinks, directories are walked as they are; regular files are blobs memory-mapped on
 * demand; unreadable and special files are skipped.
 */
final class HostFs {
  private HostFs() {}

  static RootFs of(List<String> roots) throws IOException {
    List<FsNode> nodes = new ArrayList<>();
    for (String root : roots) {
      Path start = Path.of(root);
      if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              nodes.add(new FsNode.Directory(dir.toString(), meta(dir)));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              try {
                if (attrs.isSymbolicLink()) {
                  nodes.add(
                      new FsNode.Symlink(
                          file.toString(), meta(file), Files.readSymbolicLink(file).toString()));
                } else if (attrs.isRegularFile() && Files.isReadable(file)) {
                  nodes.add(
                      new FsNode.RegularFile(
                          file.toString(), meta(file), new MappedBlob(file, attrs.size())));
                }
              } catch (IOException | IllegalArgumentException e) {
                // unreadable link or a name that is not a normal path: leave it out
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return RootFs.of(nodes);
  }

  private static NodeMeta meta(Path p) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int mode = 0;
      for (PosixFilePermission perm : a.permissions()) {
        mode |= 1 << (8 - perm.ordinal());
      }
      return NodeMeta.of(mode);
    } catch (IOException e) {
      return NodeMeta.of(0644);
    }
  }

  private record MappedBlob(Path file, long size) implements Blob {
    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }

    @Override
    public ByteBuffer read(long maxBytes) throws IOException {
      long n = Math.min(maxBytes, size);
      if (n == 0) {
        return ByteBuffer.allocate(0).asReadOnlyBuffer();
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        return ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(n, ch.size()));
      }
    }
  }
}
