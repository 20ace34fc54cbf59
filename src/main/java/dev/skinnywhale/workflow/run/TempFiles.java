package dev.skinnywhale.workflow.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The run's temporary directory, deleted with everything in it when the run ends. */
public final class TempFiles {
  private TempFiles() {}

  /** Creates {@code $TMPDIR/skinnywhale-*} and registers its removal. */
  public static Path createDirectory(Cleanup cleanup) throws IOException {
    Path dir = Files.createTempDirectory("skinnywhale-");
    cleanup.add("temporary directory " + dir, () -> deleteRecursively(dir));
    return dir;
  }

  /**
   * A new empty file next to {@code destination}, readable by all (rw-r--r--) as a file the user
   * asked for should be, to be written and then moved onto the destination.
   */
  public static Path partialFileFor(Path destination) throws IOException {
    Path dir = destination.toAbsolutePath().getParent();
    Path partial = Files.createTempFile(dir, ".skinnywhale-", ".partial");
    try {
      Files.setPosixFilePermissions(
          partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: keep its default
    }
    return partial;
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
