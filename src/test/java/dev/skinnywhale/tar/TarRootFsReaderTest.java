package dev.skinnywhale.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TarRootFsReaderTest {
  @TempDir Path spool;

  private final TarRootFsReader reader = new TarRootFsReader();

  private RootFs read(byte[] tar) throws IOException {
    return reader.read(new ByteArrayInputStream(tar), spool);
  }

  private long spoolFiles() throws IOException {
    try (Stream<Path> s = Files.list(spool)) {
      return s.count();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Hostile or broken archives, each rejected with a message naming the problem. */
  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("dotdot name", new RawTar().entry("../evil", '0', "x", "").end(), "escapes"),
        Arguments.of(
            "dotdot deep",
            new RawTar().entry("a/../../evil", '0', "x", "").end(),
            "escapes the root"),
        Arguments.of(
            "absolute dotdot",
            new RawTar().entry("/../../etc/passwd", '0', "x", "").end(),
            "escapes the root"),
        Arguments.of(
            "dotdot via PAX path",
            new RawTar().pax("path", bytes("x/../../evil")).entry("ok", '0', "", "").end(),
            "escapes the root"),
        Arguments.of(
            "NUL via PAX path",
            new RawTar().pax("path", bytes("ev\0il")).entry("ok", '0', "", "").end(),
            "NUL"),
        Arguments.of(
            "PAX size so large the offset overflows",
            new RawTar().pax("size", bytes("9223372036854775807")).entry("big", '0', "", "").end(),
            "truncated"),
        Arguments.of(
            "hard link escaping",
            new RawTar().entry("link", '1', "", "../../etc/shadow").end(),
            "escapes the root"),
        Arguments.of(
            "hard link escaping via PAX",
            new RawTar().pax("linkpath", bytes("a/../../x")).entry("link", '1', "", "y").end(),
            "escapes the root"),
        Arguments.of("hard link to nothing", new RawTar().entry("l", '1', "", "").end(), "target"),
        Arguments.of(
            "root as a file", new RawTar().entry("./", '2', "", "etc").end(), "root is not"),
        Arguments.of(
            "GNU sparse", new RawTar().entry("sparse", 'S', "", "").end(), "sparse entries"),
        Arguments.of(
            "PAX sparse",
            new RawTar().pax("GNU.sparse.major", bytes("1")).entry("s", '0', "", "").end(),
            "sparse entries"),
        Arguments.of(
            "unknown type", new RawTar().entry("v", 'V', "", "").end(), "unsupported entry type"),
        Arguments.of(
            "truncated data",
            truncate(new RawTar().entry("f", '0', "x".repeat(2000), "")),
            "truncated"),
        Arguments.of("no end marker", new RawTar().entry("f", '0', "x", ""), "truncated"),
        Arguments.of("empty stream", new RawTar(), "truncated"),
        Arguments.of(
            "bad checksum", corrupt(new RawTar().entry("f", '0', "x", "").end()), "checksum"),
        Arguments.of(
            "bad PAX record",
            new RawTar()
                .entry(bytes("PaxHeaders/x"), 'x', bytes("99 path=x\n"), "")
                .entry("f", '0', "", "")
                .end(),
            "bad PAX record"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void testRead_rejected(String name, RawTar tar, String why) throws IOException {
    TarFormatException e = assertThrows(TarFormatException.class, () -> read(tar.bytes()));
    assertTrue(e.getMessage().contains(why), () -> e.getMessage() + " should say " + why);
    assertEquals(0, spoolFiles(), "spool file left behind");
  }

  private static RawTar truncate(RawTar t) {
    byte[] b = t.bytes();
    return new RawTar() {
      @Override
      byte[] bytes() {
        return Arrays.copyOf(b, 1024);
      }
    };
  }

  private static RawTar corrupt(RawTar t) {
    byte[] b = t.bytes();
    b[0] ^= 1;
    return new RawTar() {
      @Override
      byte[] bytes() {
        return b;
      }
    };
  }

  @Test
  void testRead_regularFileContentOnDemand() throws IOException {
    byte[] tar =
        new RawTar()
            .entry("./etc/", '5', "", "")
            .entry("./etc/hostname", '0', "box\n", "")
            .entry("usr/bin/sh", '2', "", "dash")
            .end()
            .bytes();
    try (RootFs fs = read(tar)) {
      FsNode.RegularFile f = (FsNode.RegularFile) fs.get("/etc/hostname").orElseThrow();
      assertEquals(4, f.size());
      try (InputStream in = f.content().open()) {
        assertEquals("box\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      }
      ByteBuffer head = f.content().read(2);
      assertEquals(2, head.remaining());
      assertEquals('b', head.get(0));
      assertTrue(head.isReadOnly());
      assertEquals("dash", ((FsNode.Symlink) fs.get("/usr/bin/sh").orElseThrow()).target());
      assertInstanceOf(FsNode.Directory.class, fs.get("/usr/bin").orElseThrow());
      assertEquals(0644, f.meta().mode());
      assertEquals(Instant.ofEpochSecond(1_700_000_000L), f.meta().mtime());
    }
  }

  @Test
  void testRead_binaryXattrKeptByteForByte() throws IOException {
    // A capability with bytes >= 0x80 (cap_setuid, VFS_CAP_REVISION_3 rootid 100000): not UTF-8.
    byte[] cap = {
      1,
      0,
      0,
      3,
      (byte) 0x80,
      0x20,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0xa0,
      (byte) 0x86,
      1,
      0
    };
    byte[] tar =
        new RawTar()
            .pax("SCHILY.xattr.security.capability", cap)
            .entry("usr/bin/ping", '0', "elf", "")
            .end()
            .bytes();
    try (RootFs fs = read(tar)) {
      String v =
          fs.get("/usr/bin/ping")
              .orElseThrow()
              .meta()
              .paxHeaders()
              .get("SCHILY.xattr.security.capability");
      assertArrayEquals(cap, v.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void testRead_paxOverridesAndSubSecondMtime() throws IOException {
    String longName = "d/" + "n".repeat(150);
    RawTar t = new RawTar();
    t.pax("mtime", bytes("1700000000.123456789"));
    byte[] tar =
        t.pax("path", bytes(longName))
            .entry("short", '0', "", "")
            .pax("uid", bytes("3000000"))
            .entry("big", '0', "", "")
            .end()
            .bytes();
    // Consecutive PAX headers before one entry are merged; they apply to that entry only.
    try (RootFs fs = read(tar)) {
      FsNode n = fs.get("/" + longName).orElseThrow();
      assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_789), n.meta().mtime());
      assertTrue(n.meta().paxHeaders().isEmpty(), "interpreted keys are not carried");
      assertEquals(3_000_000L, fs.get("/big").orElseThrow().meta().uid());
      assertEquals(
          Instant.ofEpochSecond(1_700_000_000L), fs.get("/big").orElseThrow().meta().mtime());
    }
  }

  @Test
  void testRead_laterDuplicateReplacesEarlier() throws IOException {
    byte[] tar =
        new RawTar().entry("f", '0', "old", "").entry("./f", '0', "newer", "").end().bytes();
    try (RootFs fs = read(tar)) {
      assertEquals(5, ((FsNode.RegularFile) fs.get("/f").orElseThrow()).size());
    }
  }

  @Test
  void testRead_hardLinkAndSpecials() throws IOException {
    byte[] tar =
        new RawTar()
            .entry("usr/bin/gunzip", '0', "gz", "")
            .entry("usr/bin/uncompress", '1', "", "./usr/bin/gunzip")
            .entry("dev/pipe", '6', "", "")
            .end()
            .bytes();
    try (RootFs fs = read(tar)) {
      FsNode.HardLink h = (FsNode.HardLink) fs.get("/usr/bin/uncompress").orElseThrow();
      assertEquals("/usr/bin/gunzip", h.target());
      assertEquals(2, fs.regularFile(h).orElseThrow().size());
      FsNode.Special p = (FsNode.Special) fs.get("/dev/pipe").orElseThrow();
      assertEquals(FsNode.Special.Kind.FIFO, p.kind());
    }
  }

  @Test
  void testRead_gnuLongNamesFromCommonsCompress() throws IOException {
    // An independent writer: commons-compress with GNU long names and star big numbers.
    String longName = "opt/" + "x".repeat(120) + "/file";
    String longLink = "../" + "y".repeat(130);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(buf)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
      TarArchiveEntry e = new TarArchiveEntry(longName);
      e.setSize(3);
      e.setIds(0, 0);
      e.setMode(0100755);
      out.putArchiveEntry(e);
      out.write(new byte[] {1, 2, 3});
      out.closeArchiveEntry();
      TarArchiveEntry l = new TarArchiveEntry("opt/link", TarArchiveEntry.LF_SYMLINK);
      l.setLinkName(longLink);
      out.putArchiveEntry(l);
      out.closeArchiveEntry();
      TarArchiveEntry big = new TarArchiveEntry("big");
      big.setSize(0);
      big.setUserId(10_000_000L);
      out.putArchiveEntry(big);
      out.closeArchiveEntry();
    }
    try (RootFs fs = read(buf.toByteArray())) {
      FsNode.RegularFile f = (FsNode.RegularFile) fs.get("/" + longName).orElseThrow();
      assertEquals(0755, f.meta().mode());
      assertArrayEquals(new byte[] {1, 2, 3}, f.content().open().readAllBytes());
      assertEquals(longLink, ((FsNode.Symlink) fs.get("/opt/link").orElseThrow()).target());
      assertEquals(10_000_000L, fs.get("/big").orElseThrow().meta().uid());
    }
  }

  @Test
  void testClose_deletesSpoolAndFailsLaterReads() throws IOException {
    byte[] tar = new RawTar().entry("f", '0', "data", "").end().bytes();
    RootFs fs = read(tar);
    assertEquals(1, spoolFiles());
    FsNode.RegularFile f = (FsNode.RegularFile) fs.get("/f").orElseThrow();
    fs.close();
    assertEquals(0, spoolFiles());
    assertThrows(IOException.class, () -> f.content().open().read());
  }

  @Test
  void testRead_failingStreamDeletesSpool() throws IOException {
    byte[] good = new RawTar().entry("f", '0', "x".repeat(5000), "").end().bytes();
    InputStream failing =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n >= 3000) {
              throw new IOException("connection reset");
            }
            return good[n++] & 0xff;
          }
        };
    IOException e = assertThrows(IOException.class, () -> reader.read(failing, spool));
    assertTrue(e.getMessage().contains("spooling tar stream"), e.getMessage());
    assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
    assertEquals(0, spoolFiles());
  }

  @Test
  void testRead_largeFileNotInHeap() throws IOException {
    // 64 MiB of content: read through mapping/streams, never as one heap array.
    long size = 64L << 20;
    Path src = spool.resolve("../big-src.tar").normalize();
    try (var out = Files.newOutputStream(src)) {
      TarStreamWriter w = new TarStreamWriter(out);
      w.addFile(
          "big.bin",
          dev.skinnywhale.rootfs.NodeMeta.of(0644),
          size,
          new InputStream() {
            long left = size;

            @Override
            public int read() {
              return left-- > 0 ? 7 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
              if (left <= 0) {
                return -1;
              }
              int n = (int) Math.min(len, left);
              Arrays.fill(b, off, off + n, (byte) 7);
              left -= n;
              return n;
            }
          });
      w.finish();
    }
    try (InputStream in = Files.newInputStream(src);
        RootFs fs = reader.read(in, spool)) {
      FsNode.RegularFile f = (FsNode.RegularFile) fs.get("/big.bin").orElseThrow();
      assertEquals(size, f.size());
      ByteBuffer all = f.content().read(Long.MAX_VALUE);
      assertEquals(size, all.remaining());
      assertFalse(all.hasArray(), "mapped, not on the heap");
      assertEquals(7, all.get((int) size - 1));
    } finally {
      Files.deleteIfExists(src);
    }
  }
}
