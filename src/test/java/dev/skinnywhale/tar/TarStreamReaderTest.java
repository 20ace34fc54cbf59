package dev.skinnywhale.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.NodeMeta;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TarStreamReaderTest {
  private static final NodeMeta META =
      new NodeMeta(0644, 0, 0, "", "", Instant.ofEpochSecond(1_700_000_000L), Map.of());

  /** Each entry as "TYPE path [link] = content" for the files. */
  private static List<String> readAll(byte[] tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar))) {
      for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
        TarEntry t = e.get();
        String line = t.type() + " " + t.path() + (t.link().isEmpty() ? "" : " -> " + t.link());
        if (t.type() == TarEntry.Type.FILE) {
          line += " = " + new String(r.content().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        out.add(line);
      }
      assertEquals(Optional.empty(), r.next(), "the end stays the end");
    }
    return out;
  }

  @Test
  void testNext_entriesInStreamOrderWithContent() throws IOException {
    byte[] tar =
        new RawTar()
            .entry("./.skinnywhale-probe/", '5', "", "")
            .entry(".skinnywhale-probe/status", '0', "ok exit=0\n", "")
            .entry(".skinnywhale-probe/trace.log", '0', "x".repeat(1500), "")
            .entry("bin/sh", '2', "", "dash")
            .entry("bin/ln", '1', "", "./bin/sh")
            .entry(".skinnywhale-probe/status", '0', "second", "")
            .end()
            .bytes();
    assertEquals(
        List.of(
            "DIRECTORY /.skinnywhale-probe",
            "FILE /.skinnywhale-probe/status = ok exit=0\n",
            "FILE /.skinnywhale-probe/trace.log = " + "x".repeat(1500),
            "SYMLINK /bin/sh -> dash",
            "HARD_LINK /bin/ln -> /bin/sh",
            "FILE /.skinnywhale-probe/status = second"),
        readAll(tar));
  }

  @Test
  void testNext_unreadAndHalfReadContentSkipped() throws IOException {
    byte[] tar =
        new RawTar()
            .entry("a", '0', "a".repeat(700), "")
            .entry("b", '0', "b".repeat(1100), "")
            .entry("c", '0', "c", "")
            .end()
            .bytes();
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar))) {
      assertEquals("/a", r.next().orElseThrow().path()); // not read at all
      assertEquals("/b", r.next().orElseThrow().path());
      assertEquals('b', r.content().read()); // one byte of 1100
      TarEntry c = r.next().orElseThrow();
      assertEquals("/c", c.path());
      assertEquals("c", new String(r.content().readAllBytes(), StandardCharsets.US_ASCII));
      assertEquals(-1, r.content().read());
      assertEquals(Optional.empty(), r.next());
    }
  }

  @Test
  void testNext_writerOutputReadBack() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(bytes);
    String longName = "d/" + "n".repeat(150) + "/file";
    w.addDirectory("d", NodeMeta.of(0755));
    w.addFile(longName, META, 3, new ByteArrayInputStream(new byte[] {1, 2, 3}));
    w.addCharDevice("dev/null", NodeMeta.of(0666), 1, 3);
    w.addFifo("run/fifo", NodeMeta.of(0600));
    w.finish();
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(TarEntry.Type.DIRECTORY, r.next().orElseThrow().type());
      TarEntry f = r.next().orElseThrow();
      assertEquals("/" + longName, f.path());
      assertEquals("file", f.name());
      assertEquals("/d/" + "n".repeat(150), f.parent());
      assertEquals(3, f.size());
      assertEquals(META, f.meta());
      TarEntry dev = r.next().orElseThrow();
      assertEquals(TarEntry.Type.CHAR_DEVICE, dev.type());
      assertEquals(1, dev.devMajor());
      assertEquals(3, dev.devMinor());
      assertEquals(TarEntry.Type.FIFO, r.next().orElseThrow().type());
      assertEquals(Optional.empty(), r.next());
    }
  }

  /** The same hostile and broken archives the spooling reader rejects. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.skinnywhale.tar.TarRootFsReaderTest#rejected")
  void testNext_rejected(String name, RawTar tar, String why) {
    TarFormatException e = assertThrows(TarFormatException.class, () -> readAll(tar.bytes()));
    assertTrue(e.getMessage().contains(why), () -> e.getMessage() + " should say " + why);
  }

  @Test
  void testContent_streamEndingInsideAnEntry() throws IOException {
    byte[] whole = new RawTar().entry("big", '0', "z".repeat(5000), "").end().bytes();
    byte[] cut = java.util.Arrays.copyOf(whole, 512 + 3000);
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(cut))) {
      r.next();
      InputStream in = r.content();
      TarFormatException e = assertThrows(TarFormatException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      assertTrue(e.getMessage().contains("5000 bytes of data"), e.getMessage());
    }
  }

  /** A 256 MiB entry streams through without being held: only a count is kept here. */
  @Test
  void testContent_largeEntryStreamed() throws IOException {
    long size = 256L << 20;
    byte[] header = new RawTar().entry("huge", '0', "", "").bytes();
    // patch the size field (octal, 11 digits) and the checksum
    String octal = String.format("%011o", size);
    System.arraycopy(octal.getBytes(StandardCharsets.US_ASCII), 0, header, 124, 11);
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    String check = String.format("%06o", sum);
    System.arraycopy(check.getBytes(StandardCharsets.US_ASCII), 0, header, 148, 6);
    header[154] = 0;
    InputStream tar =
        new SequenceInputStream(
            new ByteArrayInputStream(header),
            new SequenceInputStream(new Zeros(size), new ByteArrayInputStream(new byte[1024])));
    try (TarStreamReader r = new TarStreamReader(tar)) {
      TarEntry e = r.next().orElseThrow();
      assertEquals(size, e.size());
      long n = 0;
      byte[] buf = new byte[1 << 16];
      InputStream in = r.content();
      for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
        n += k;
      }
      assertEquals(size, n);
      assertEquals(Optional.empty(), r.next());
    }
  }

  /** {@code n} zero bytes, made as they are read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long n) {
      this.left = n;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
