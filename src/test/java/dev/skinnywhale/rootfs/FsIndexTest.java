package dev.skinnywhale.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsIndexTest {
  /** A listing as tracer/src/index.c writes it. */
  static final class Listing {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count;

    Listing() {
      out.writeBytes(FsIndex.MAGIC);
    }

    Listing entry(
        char type,
        int flags,
        int mode,
        long size,
        long ino,
        int nlink,
        String path,
        String link,
        Map<String, String> xattrs,
        byte[] head) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      ByteBuffer fixed = ByteBuffer.allocate(64);
      fixed.put(0, (byte) type).put(1, (byte) flags);
      fixed.putInt(4, mode).putInt(8, 0).putInt(12, 0).putInt(16, nlink);
      fixed.putLong(20, size).putLong(28, 1_700_000_000L).putInt(36, 123);
      fixed.putLong(48, 42).putLong(56, ino);
      body.writeBytes(fixed.array());
      string(body, path);
      string(body, link);
      u32(body, xattrs.size());
      xattrs.forEach(
          (k, v) -> {
            string(body, k);
            string(body, v);
          });
      u32(body, head.length);
      body.writeBytes(head);
      u32(out, body.size());
      out.writeBytes(body.toByteArray());
      if (type != 'E') {
        count++;
      }
      return this;
    }

    Listing file(String path, long ino, int nlink, String content) {
      return entry(
          'f',
          0,
          0100644,
          content.length(),
          ino,
          nlink,
          path,
          "",
          Map.of(),
          content.getBytes(StandardCharsets.ISO_8859_1));
    }

    byte[] done() {
      entry('E', 0, 0, count, 0, 0, "", "", Map.of(), new byte[0]);
      return out.toByteArray();
    }

    static void string(ByteArrayOutputStream o, String s) {
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      u32(o, b.length);
      o.writeBytes(b);
    }

    static void u32(ByteArrayOutputStream o, int v) {
      o.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
    }
  }

  private static FsIndex.Listing read(byte[] bytes) throws IOException {
    return new FsIndex().read(new ByteArrayInputStream(bytes));
  }

  @Test
  void nodes_asAnExportGivesThem() throws IOException {
    byte[] bytes =
        new Listing()
            .entry('d', 0, 040755, 0, 1, 2, "/", "", Map.of(), new byte[0])
            .entry('d', 0, 040700, 0, 2, 2, "/etc", "", Map.of("user.x", "y"), new byte[0])
            .file("/etc/a", 7, 2, "one")
            .file("/etc/b", 7, 2, "one")
            .entry('l', 0, 0120777, 1, 8, 1, "/etc/l", "a", Map.of(), new byte[0])
            .entry('s', 0, 0140755, 0, 9, 1, "/etc/sock", "", Map.of(), new byte[0])
            .entry('d', 1, 040555, 0, 10, 1, "/proc", "", Map.of(), new byte[0])
            .entry(
                'f',
                0,
                0100755,
                2,
                11,
                1,
                "/cap",
                "",
                Map.of("security.capability", "\u0001\u00ff", "user.y", "z"),
                "MZ".getBytes())
            .done();
    List<String> fetched = new ArrayList<>();
    List<FsNode> nodes =
        FsIndex.nodes(
            read(bytes),
            Map.of(0L, "root"),
            Map.of(0L, "root"),
            (path, size, head) -> {
              fetched.add(path);
              return new BytesBlob(head);
            });
    assertEquals(
        List.of("/etc", "/etc/a", "/etc/b", "/etc/l", "/proc", "/cap"),
        nodes.stream().map(FsNode::path).toList());
    assertEquals(
        new NodeMeta(
            0700, 0, 0, "root", "root", java.time.Instant.ofEpochSecond(1_700_000_000L), Map.of()),
        nodes.get(0).meta());
    assertInstanceOf(FsNode.RegularFile.class, nodes.get(1));
    assertEquals("/etc/a", ((FsNode.HardLink) nodes.get(2)).target());
    assertEquals("a", ((FsNode.Symlink) nodes.get(3)).target());
    assertEquals(0755, nodes.get(4).meta().mode());
    assertEquals(
        Map.of("SCHILY.xattr.security.capability", "\u0001\u00ff"),
        nodes.get(5).meta().paxHeaders());
    assertEquals(List.of("/etc/a", "/cap"), fetched);
  }

  @Test
  void read_rejectsWhatIsMalformed() {
    byte[] good = new Listing().file("/a", 1, 1, "x").done();
    assertThrows(IOException.class, () -> read(new byte[] {1, 2, 3}));
    for (int cut = 8; cut < good.length; cut += 7) {
      byte[] shorter = java.util.Arrays.copyOf(good, cut);
      assertThrows(IOException.class, () -> read(shorter), "cut at " + cut);
    }
    byte[] lying = good.clone();
    // the path length of the first record, past the record's end
    ByteBuffer.wrap(lying).putInt(8 + 4 + 64, 1 << 20);
    assertThrows(IOException.class, () -> read(lying));
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(8, Integer.MAX_VALUE);
    assertThrows(IOException.class, () -> read(huge));
    Listing l = new Listing().file("/a", 1, 1, "x");
    l.count = 5;
    assertThrows(IOException.class, () -> read(l.done()));
    byte[] many = new Listing().file("/a", 1, 1, "x").file("/b", 2, 1, "y").done();
    assertThrows(
        IOException.class, () -> new FsIndex(1, 1 << 20).read(new ByteArrayInputStream(many)));
  }

  @Test
  void lazyContent_fetchesEachPathOnceInBatches_headsWithoutFetching(@TempDir Path tmp)
      throws IOException {
    Map<String, String> files = Map.of("/a", "alpha-content", "/b", "beta", "/c", "gamma");
    List<List<String>> calls = new ArrayList<>();
    try (LazyContent content =
        new LazyContent(
            (paths, sink) -> {
              calls.add(List.copyOf(paths));
              for (String p : paths) {
                if (!files.containsKey(p)) {
                  continue; // as the helper, which leaves out what it cannot read
                }
                byte[] b = files.get(p).getBytes(StandardCharsets.ISO_8859_1);
                sink.accept(p, b.length, new ByteArrayInputStream(b));
              }
            },
            tmp)) {
      Blob a = content.blob("/a", 13, "alpha".getBytes());
      Blob b = content.blob("/b", 4, "beta".getBytes());
      Blob c = content.blob("/c", 5, new byte[0]);
      assertEquals("alph", StandardCharsets.ISO_8859_1.decode(a.read(4)).toString());
      try (InputStream in = b.open()) {
        assertEquals("beta", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      }
      assertEquals(List.of(), calls);
      content.prefetch(List.of("/a", "/c", "/nope"));
      assertEquals(List.of(List.of("/a", "/c")), calls);
      try (InputStream in = a.open()) {
        assertEquals("alpha-content", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      }
      assertEquals("gamma", StandardCharsets.ISO_8859_1.decode(c.read(100)).toString());
      content.prefetch(List.of("/a", "/c"));
      assertEquals(1, calls.size());
      assertEquals("beta", StandardCharsets.ISO_8859_1.decode(b.read(100)).toString());
      assertEquals(1, calls.size());
      Blob wrong = content.blob("/c2", 3, new byte[0]);
      assertThrows(IOException.class, wrong::open);
    }
    try (var left = Files.list(tmp)) {
      assertTrue(left.findAny().isEmpty(), "the spool file is deleted on close");
    }
  }
}
