package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs never destroy or write through what is not a regular file at their destination. */
class OutputFileTest {
  @TempDir Path dir;

  private static OutputFile.Content text(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private List<Path> entries() throws IOException {
    try (var s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void write_newFile_writtenReadableByAllAndNothingElseLeft() throws IOException {
    Path dest = dir.resolve("out.tar");
    OutputFile.write(dest, text("new"));
    assertEquals("new", Files.readString(dest));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    assertEquals(List.of(dest), entries());
  }

  @Test
  void write_existingRegularFile_replacedAtomically() throws IOException {
    Path dest = dir.resolve("out.tar");
    Files.writeString(dest, "old content that is longer");
    OutputFile.write(dest, text("new"));
    assertEquals("new", Files.readString(dest));
    assertEquals(List.of(dest), entries());
  }

  @Test
  void write_contentFails_destinationUnchangedAndPartialRemoved() throws IOException {
    Path dest = dir.resolve("out.tar");
    Files.writeString(dest, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                OutputFile.write(
                    dest,
                    out -> {
                      out.write(1);
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(dest));
    assertEquals(List.of(dest), entries());
  }

  @Test
  void write_withUndo_partialRegisteredWhileItExists() throws IOException {
    Path dest = dir.resolve("p.json");
    List<String> registered = new ArrayList<>();
    List<Boolean> ranEarly = new ArrayList<>();
    OutputFile.write(
        dest,
        (what, action) -> {
          registered.add(what);
          return () -> {
            try {
              action.run();
              ranEarly.add(true);
            } catch (Exception ex) {
              throw new AssertionError(ex);
            }
          };
        },
        text("{}"));
    assertEquals(1, registered.size());
    assertTrue(registered.get(0).startsWith("partial file " + dir), registered.toString());
    assertEquals(List.of(true), ranEarly);
    assertEquals(List.of(dest), entries());
  }

  @Test
  void write_symlinkToAnotherFile_refusedAndTargetUnchanged() throws IOException {
    Path victim = dir.resolve("victim");
    Files.writeString(victim, "precious");
    Path dest = dir.resolve("out.tar");
    Files.createSymbolicLink(dest, victim);
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> OutputFile.write(dest, text("evil")));
    assertEquals(
        dest
            + ": exists and is a symbolic link to "
            + victim
            + ", not a regular file; not"
            + " written (remove it or name another)",
        e.getMessage());
    assertEquals("precious", Files.readString(victim));
    assertTrue(Files.isSymbolicLink(dest));
    assertEquals(List.of(dest, victim), entries());
  }

  @Test
  void write_danglingSymlink_refusedAndNothingCreatedAtItsTarget() throws IOException {
    Path dest = dir.resolve("out.tar");
    Path target = dir.resolve("would-be-created");
    Files.createSymbolicLink(dest, target);
    assertThrows(FileSystemException.class, () -> OutputFile.write(dest, text("x")));
    assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isSymbolicLink(dest));
  }

  @Test
  void write_directory_refused() throws IOException {
    Path dest = Files.createDirectory(dir.resolve("out.tar"));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> OutputFile.write(dest, text("x")));
    assertTrue(
        e.getMessage().contains("exists and is a directory, not a regular file"), e.getMessage());
    assertTrue(Files.isDirectory(dest));
    assertEquals(List.of(dest), entries());
  }

  @Test
  void write_fifo_refusedWithoutOpeningIt() throws Exception {
    Path dest = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", dest.toString()).start();
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> OutputFile.write(dest, text("x")));
    assertTrue(e.getMessage().startsWith(dest + ": exists and is a FIFO"), e.getMessage());
    assertEquals("p", kind(dest));
  }

  /**
   * A character device (made here with mknod as /dev/null's twin, 1:3, so that a regression cannot
   * destroy the machine's own /dev/null) is refused and stays a device; /dev/null itself is
   * checked, which writes nothing.
   */
  @Test
  void write_characterDevice_refusedAndStillADevice() throws Exception {
    FileSystemException devNull =
        assertThrows(FileSystemException.class, () -> OutputFile.check(Path.of("/dev/null")));
    assertEquals(
        "/dev/null: exists and is a character device, not a regular file; not written (remove it"
            + " or name another)",
        devNull.getMessage());
    Path dest = dir.resolve("null");
    Process mknod = new ProcessBuilder("mknod", dest.toString(), "c", "1", "3").start();
    assumeTrue(mknod.waitFor(10, TimeUnit.SECONDS) && mknod.exitValue() == 0, "mknod (root)");
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> OutputFile.write(dest, text("x")));
    assertTrue(
        e.getMessage().startsWith(dest + ": exists and is a character device"), e.getMessage());
    assertEquals("c", kind(dest));
    assertEquals(List.of(dest), entries());
  }

  @Test
  void checkDirectory_directoryOrAbsentFine_fileAndSymlinkRefused() throws IOException {
    OutputFile.checkDirectory(dir.resolve("absent"));
    OutputFile.checkDirectory(Files.createDirectory(dir.resolve("layout")));
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThrows(FileSystemException.class, () -> OutputFile.checkDirectory(file));
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("layout"));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> OutputFile.checkDirectory(link));
    assertTrue(e.getMessage().contains("a symbolic link"), e.getMessage());
  }

  @Test
  void check_absentAndRegularFine() throws IOException {
    OutputFile.check(dir.resolve("absent"));
    OutputFile.check(Files.writeString(dir.resolve("file"), "x"));
    assertArrayEquals(new byte[] {'x'}, Files.readAllBytes(dir.resolve("file")));
  }

  /** The file type letter as stat(1) gives it, from the file's own mode (not following links). */
  private static String kind(Path p) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return switch (mode & 0170000) {
      case 0020000 -> "c";
      case 0010000 -> "p";
      default -> Integer.toOctalString(mode);
    };
  }
}
