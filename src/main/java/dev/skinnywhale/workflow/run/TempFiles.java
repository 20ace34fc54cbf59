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
