package dev.skinnywhale.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleTarWriterTest {
  @TempDir Path spool;

  static final String CAP =
      new String(
          new byte[] {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
          StandardCharsets.ISO_8859_1);

  static NodeMeta meta(int mode, long uid, String user, Instant mtime, Map<String, String> pax) {
    return new NodeMeta(mode, uid, uid + 1, user, user + "grp", mtime, pax);
  }

  /** A filesystem with every kind of node and every metadata detail the writer must keep. */
  static List<FsNode> sample() {
    Instant t = Instant.parse("2024-05-06T07:08:09Z");
    List<FsNode> nodes = new ArrayList<>();
    nodes.add(new FsNode.Directory("/usr", meta(0755, 0, "root", t, Map.of())));
    nodes.add(new FsNode.Directory("/usr/bin", meta(0755, 0, "root", t, Map.of())));
    nodes.add(
        new FsNode.RegularFile(
            "/usr/bin/ping",
            meta(
                04755,
                0,
                "root",
                t.plusNanos(123_456_789),
                Map.of("SCHILY.xattr.security.capability", CAP, "SCHILY.xattr.user.note", "é")),
            new BytesBlob("ELF-ping".getBytes(StandardCharsets.US_ASCII))));
    nodes.add(
        new FsNode.RegularFile(
            "/usr/bin/gunzip",
            meta(0755, 1000, "builder", t, Map.of()),
            new BytesBlob(new byte[1500])));
    nodes.add(
        new FsNode.HardLink(
            "/usr/bin/uncompress", meta(0755, 1000, "builder", t, Map.of()), "/usr/bin/gunzip"));
    nodes.add(new FsNode.Symlink("/usr/bin/sh", meta(0777, 0, "root", t, Map.of()), "dash"));
    nodes.add(
        new FsNode.Symlink("/usr/bin/abs", meta(0777, 0, "root", t, Map.of()), "/../../etc/x"));
    nodes.add(new FsNode.Directory("/dev", meta(0755, 0, "root", t, Map.of())));
    nodes.add(
        new FsNode.Special(
            "/dev/null",
            meta(0666, 0, "root", t, Map.of()),
            FsNode.Special.Kind.CHAR_DEVICE,
            1,
            3));
    nodes.add(
        new FsNode.Special(
            "/dev/sda",
            meta(0660, 0, "root", t, Map.of()),
            FsNode.Special.Kind.BLOCK_DEVICE,
            8,
            0));
    nodes.add(
        new FsNode.Special(
            "/dev/fifo", meta(0600, 0, "root", t, Map.of()), FsNode.Special.Kind.FIFO, 0, 0));
    String deep = "/opt/" + "d".repeat(90) + "/" + "f".repeat(90);
    nodes.add(new FsNode.Directory("/opt", meta(0700, 3_000_000, "u".repeat(40), t, Map.of())));
    nodes.add(new FsNode.Directory("/opt/" + "d".repeat(90), meta(0755, 0, "root", t, Map.of())));
    nodes.add(
        new FsNode.RegularFile(
            deep,
            meta(0644, 0, "root", Instant.ofEpochSecond(-5), Map.of()),
            new BytesBlob(new byte[] {9})));
    return nodes;
  }

  static byte[] write(List<FsNode> nodes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ReproducibleTarWriter().write(nodes, out);
    return out.toByteArray();
  }

  @Test
  void testWrite_shuffledInputGivesIdenticalBytes() throws IOException {
    List<FsNode> a = sample();
    List<FsNode> b = new ArrayList<>(sample());
    Collections.shuffle(b, new Random(42));
    b.add(b.get(0)); // an exact duplicate is tolerated
    assertArrayEquals(write(a), write(b));
  }

  @Test
  void testWrite_roundTripPreservesEverything() throws IOException {
    List<FsNode> in = sample();
    try (RootFs fs = new TarRootFsReader().read(new ByteArrayInputStream(write(in)), spool)) {
      for (FsNode want : in) {
        FsNode got = fs.get(want.path()).orElseThrow(() -> new AssertionError(want.path()));
        assertEquals(want.meta(), got.meta(), want.path());
        assertEquals(want.getClass(), got.getClass(), want.path());
        if (want instanceof FsNode.RegularFile w) {
          assertArrayEquals(
              w.content().open().readAllBytes(),
              ((FsNode.RegularFile) got).content().open().readAllBytes());
        } else if (want instanceof FsNode.Symlink w) {
          assertEquals(w.target(), ((FsNode.Symlink) got).target());
        } else if (want instanceof FsNode.HardLink w) {
          assertEquals(w.target(), ((FsNode.HardLink) got).target());
        } else if (want instanceof FsNode.Special w) {
          assertEquals(w, got);
        }
      }
      assertEquals(in.size() + 1, fs.size(), "nothing added but the root");
    }
  }

  @Test
  void testWrite_namesRelativeSortedParentsFirst_readableByCommonsCompress() throws IOException {
    Path file = spool.resolve("layer.tar");
    java.nio.file.Files.write(file, write(sample()));
    List<String> names = new ArrayList<>();
    try (TarFile tar = new TarFile(file)) {
      for (TarArchiveEntry e : tar.getEntries()) {
        names.add(e.getName());
        if (e.getName().equals("usr/bin/uncompress")) {
          assertTrue(e.isLink());
          assertEquals("usr/bin/gunzip", e.getLinkName());
        }
        if (e.getName().equals("dev/null")) {
          assertEquals(1, e.getDevMajor());
          assertEquals(3, e.getDevMinor());
        }
        if (e.getName().equals("opt/")) {
          assertEquals(3_000_000L, e.getLongUserId());
          assertEquals("u".repeat(40), e.getUserName());
        }
      }
    }
    assertEquals("dev/", names.get(0));
    assertTrue(names.contains("usr/"));
    assertTrue(names.contains("opt/" + "d".repeat(90) + "/" + "f".repeat(90)));
    for (String n : names) {
      assertFalse(n.startsWith("/") || n.startsWith("./"), n);
    }
    List<String> sorted = new ArrayList<>(names);
    Collections.sort(sorted, (x, y) -> strip(x).compareTo(strip(y)));
    assertEquals(sorted, names);
  }

  private static String strip(String n) {
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  @Test
  void testWrite_hardLinkSortingBeforeItsTarget_becomesTheFile() throws IOException {
    NodeMeta m = NodeMeta.of(0755);
    List<FsNode> nodes =
        List.of(
            new FsNode.RegularFile("/b/target", m, new BytesBlob(new byte[] {1, 2})),
            new FsNode.HardLink("/a/link", NodeMeta.of(0700), "/b/target"),
            new FsNode.HardLink("/c/link2", m, "/b/target"));
    try (RootFs fs = new TarRootFsReader().read(new ByteArrayInputStream(write(nodes)), spool)) {
      FsNode.RegularFile first = (FsNode.RegularFile) fs.get("/a/link").orElseThrow();
      assertEquals(2, first.size());
      assertEquals(0755, first.meta().mode(), "the inode's metadata");
      assertEquals("/a/link", ((FsNode.HardLink) fs.get("/b/target").orElseThrow()).target());
      assertEquals("/a/link", ((FsNode.HardLink) fs.get("/c/link2").orElseThrow()).target());
    }
  }

  @Test
  void testWrite_missingParentsAddedRootNotWritten() throws IOException {
    List<FsNode> nodes =
        List.of(
            new FsNode.Directory("/", NodeMeta.of(0700)),
            new FsNode.RegularFile("/a/b/c", NodeMeta.of(0644), new BytesBlob(new byte[0])));
    try (RootFs fs = new TarRootFsReader().read(new ByteArrayInputStream(write(nodes)), spool)) {
      assertInstanceOf(FsNode.Directory.class, fs.get("/a/b").orElseThrow());
      assertEquals(0755, fs.get("/a").orElseThrow().meta().mode());
      assertEquals(0755, fs.get("/").orElseThrow().meta().mode(), "root entry not written");
    }
  }

  @Test
  void testWrite_invalidSets_rejected() {
    NodeMeta m = NodeMeta.of(0644);
    assertThrows(
        IllegalArgumentException.class,
        () -> write(List.of(new FsNode.HardLink("/l", m, "/absent"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            write(
                List.of(
                    new FsNode.Symlink("/lib", m, "usr/lib"),
                    new FsNode.RegularFile("/lib/x", m, new BytesBlob(new byte[0])))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            write(
                List.of(
                    new FsNode.RegularFile("/f", m, new BytesBlob(new byte[1])),
                    new FsNode.RegularFile("/f", m, new BytesBlob(new byte[2])))));
    assertThrows(
        IllegalArgumentException.class,
        () -> write(List.of(new FsNode.Symlink("/f", m, "caf\u20ac"))));
  }

  @Test
  void testWrite_blobShorterThanItsSize_fails() {
    dev.skinnywhale.rootfs.Blob liar =
        new dev.skinnywhale.rootfs.Blob() {
          @Override
          public long size() {
            return 10;
          }

          @Override
          public java.io.InputStream open() {
            return new ByteArrayInputStream(new byte[3]);
          }

          @Override
          public java.nio.ByteBuffer read(long maxBytes) {
            return java.nio.ByteBuffer.allocate(0);
          }
        };
    IOException e =
        assertThrows(
            IOException.class,
            () -> write(List.of(new FsNode.RegularFile("/f", NodeMeta.of(0644), liar))));
    assertTrue(e.getMessage().contains("/f"), e.getMessage());
  }

  @Test
  void testPaxTime_roundTrips() throws Exception {
    for (Instant t :
        List.of(
            Instant.ofEpochSecond(0, 1),
            Instant.ofEpochSecond(-2, 500_000_000),
            Instant.ofEpochSecond(1_700_000_000L, 120_000_000))) {
      assertEquals(t, TarRootFsReader.paxTime(TarStreamWriter.formatPaxTime(t), 0));
    }
    assertEquals("-1.5", TarStreamWriter.formatPaxTime(Instant.ofEpochSecond(-2, 500_000_000)));
  }
}
