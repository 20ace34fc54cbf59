package dev.skinnywhale.workflow.run;

import dev.skinnywhale.trace.Undo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A file the user asked for ({@code -o FILE}, {@code --save-profile}, {@code --seccomp-profile},
 * {@code profile merge -o}), written so that nothing else is ever destroyed or written through:
 *
 * <ul>
 *   <li>the destination must be absent or a regular file; a directory, device, FIFO, socket or
 *       symbolic link there is refused (the link is neither followed nor replaced: whoever put it
 *       there may mean its target to be overwritten);
 *   <li>the content goes to a new file beside the destination, created exclusively ({@code O_EXCL})
 *       and opened without following links, readable by all (rw-r--r--);
 *   <li>the destination is checked again, then the new file is renamed onto it, atomically. A
 *       rename never follows a link at its target: in the instant between that check and the
 *       rename, a link put there is at worst replaced by the file, its target left untouched.
 * </ul>
 *
 * A failure (or Ctrl-C, through the run's undo list) removes the new file and leaves the
 * destination as it was.
 */
public final class OutputFile {
  /** The content, written to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private OutputFile() {}

  /**
   * Refuses a destination that exists and is not a regular file; a destination that does not exist
   * is fine. Links are not followed.
   *
   * @throws FileSystemException naming the path and what is there (exit 6)
   */
  public static void check(Path destination) throws IOException {
    Optional<String> kind = kindOf(destination);
    if (kind.isPresent() && !kind.get().equals(REGULAR)) {
      throw refused(destination, kind.get(), "a regular file");
    }
  }

  /** The same for an output directory ({@code oci:DIR}): absent, or a directory, not a link. */
  public static void checkDirectory(Path destination) throws IOException {
    Optional<String> kind = kindOf(destination);
    if (kind.isPresent() && !kind.get().equals(DIRECTORY)) {
      throw refused(destination, kind.get(), "a directory");
    }
  }

  /** Writes {@code content} to {@code destination}; the new file is removed if anything fails. */
  public static void write(Path destination, Content content) throws IOException {
    write(destination, Optional.empty(), content);
  }

  /**
   * Writes {@code content} to {@code destination}, the new file registered with {@code undo} while
   * it exists, so that a Ctrl-C removes it too.
   */
  public static void write(Path destination, Undo undo, Content content) throws IOException {
    write(destination, Optional.of(undo), content);
  }

  private static void write(Path destination, Optional<Undo> undo, Content content)
      throws IOException {
    Path dest = destination.toAbsolutePath();
    check(dest);
    Path partial = Files.createTempFile(dest.getParent(), ".skinnywhale-", ".partial");
    Runnable remove =
        undo.map(u -> u.add("partial file " + partial, () -> Files.deleteIfExists(partial)))
            .orElse(() -> deleteQuietly(partial));
    try {
      PosixFileAttributeView view =
          Files.getFileAttributeView(
              partial, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view != null) {
        view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      }
      try (OutputStream out =
          new BufferedOutputStream(
              Files.newOutputStream(
                  partial,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  LinkOption.NOFOLLOW_LINKS),
              1 << 16)) {
        content.writeTo(out);
      }
      check(dest);
      Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      remove.run();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the error that brought us here is the one to report
    }
  }

  private static final String REGULAR = "a regular file";
  private static final String DIRECTORY = "a directory";

  /** What is at {@code path} (not following a link), or empty when nothing is. */
  static Optional<String> kindOf(Path path) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (a.isRegularFile()) {
      return Optional.of(REGULAR);
    }
    if (a.isDirectory()) {
      return Optional.of(DIRECTORY);
    }
    if (a.isSymbolicLink()) {
      String target;
      try {
        target = " to " + Files.readSymbolicLink(path);
      } catch (IOException e) {
        target = "";
      }
      return Optional.of("a symbolic link" + target);
    }
    return Optional.of(special(path));
  }

  private static String special(Path path) {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
    return switch (mode & 0170000) {
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      case 0010000 -> "a FIFO";
      case 0140000 -> "a socket";
      default -> "a special file";
    };
  }

  private static FileSystemException refused(Path path, String kind, String wanted) {
    return new FileSystemException(
        path.toString(),
        null,
        "exists and is " + kind + ", not " + wanted + "; not written (remove it or name another)");
  }
}
