package dev.skinnywhale.image;

import static dev.skinnywhale.image.TestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerFlattenerTest {
  @TempDir Path tmp;

  private final ManifestJson json = TestImages.MANIFESTS;
  private final OciImages oci = new OciImages(json, "linux/amd64");

  /** The layers as an OCI archive, read back and flattened: path → summary. */
  private TreeMap<String, String> flatten(Compression c, byte[]... layers) throws IOException {
    Path file = TestImages.ociArchive(tmp.resolve("img.tar"), List.of(layers), c, m -> {});
    ImageReference ref = ImageReference.parseInput("oci-archive:" + file);
    try (LayeredImage image =
            new ImageArchiveReader(json, oci).read(ref, file, new LayerReader(tmp, 1 << 30));
        RootFs fs = image.filesystem()) {
      TreeMap<String, String> out = new TreeMap<>();
      fs.nodes().forEach(n -> out.put(n.path(), describe(fs, n)));
      return out;
    }
  }

  static String describe(RootFs fs, FsNode n) {
    try {
      if (n instanceof FsNode.RegularFile f) {
        try (InputStream in = f.content().open()) {
          return "file " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      if (n instanceof FsNode.HardLink h) {
        return "link " + h.target() + " " + describe(fs, fs.regularFile(h).orElseThrow());
      }
      if (n instanceof FsNode.Symlink s) {
        return "symlink " + s.target();
      }
      return n instanceof FsNode.Directory ? "dir" : "special";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void flatten_whiteoutsOpaqueAndReplacements(Compression c) throws Exception {
    byte[] one =
        layer()
            .dir("/etc")
            .file("/etc/a", "a1")
            .file("/etc/gone", "x")
            .dir("/opt")
            .file("/opt/old", "old")
            .dir("/opt/sub")
            .file("/opt/sub/deep", "deep")
            .dir("/swap")
            .file("/swap/child", "c")
            .file("/back", "file1")
            .bytes();
    byte[] two =
        layer()
            .file("/etc/a", "a2")
            .whiteout("/etc/gone")
            .dir("/opt")
            .opaque("/opt")
            .file("/opt/new", "new")
            .file("/swap", "now a file")
            .dir("/back")
            .file("/back/inside", "in")
            .bytes();
    byte[] three = layer().whiteout("/back").file("/back", "file again").bytes();
    TreeMap<String, String> fs = flatten(c, one, two, three);
    assertEquals("file a2", fs.get("/etc/a"));
    assertTrue(!fs.containsKey("/etc/gone"), fs.toString());
    assertEquals("file new", fs.get("/opt/new"));
    assertEquals("dir", fs.get("/opt"));
    assertTrue(
        fs.keySet().stream().noneMatch(p -> p.startsWith("/opt/old") || p.startsWith("/opt/sub")),
        fs.toString());
    assertEquals("file now a file", fs.get("/swap"));
    assertTrue(!fs.containsKey("/swap/child"), fs.toString());
    assertEquals("file file again", fs.get("/back"));
    assertTrue(!fs.containsKey("/back/inside"), fs.toString());
    assertTrue(fs.keySet().stream().noneMatch(p -> p.contains(".wh.")), fs.toString());
  }

  @Test
  void flatten_hardLinkAcrossLayers_keepsTheContentItLinkedTo() throws Exception {
    byte[] one = layer().dir("/bin").file("/bin/tool", "v1").file("/bin/same", "s").bytes();
    byte[] two =
        layer()
            .hardlink("/bin/tool-link", "/bin/tool")
            .hardlink("/bin/same-link", "/bin/same")
            .bytes();
    byte[] three = layer().file("/bin/tool", "v2").bytes();
    TreeMap<String, String> fs = flatten(Compression.GZIP, one, two, three);
    assertEquals("file v2", fs.get("/bin/tool"));
    assertEquals("file v1", fs.get("/bin/tool-link"), "the link had v1 when it was made");
    assertEquals(
        "link /bin/same file s", fs.get("/bin/same-link"), "an unchanged target stays a link");
  }

  @Test
  void flatten_laterEntryInOneLayerWins() throws Exception {
    byte[] one = layer().file("/x", "first").file("/x", "second").bytes();
    assertEquals("file second", flatten(Compression.NONE, one).get("/x"));
  }

  @Test
  void flatten_entryBelowSymlink_isRejectedNamingTheLayer() throws Exception {
    byte[] one = layer().symlink("/evil", "/etc").file("/evil/passwd", "x").bytes();
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> flatten(Compression.NONE, one));
    assertTrue(
        e.getMessage().contains("sha256:") && e.getMessage().contains("below /evil"),
        e.getMessage());
  }

  @Test
  void read_dockerArchive_sameAsOciArchive() throws Exception {
    byte[] one = layer().dir("/a").file("/a/f", "1").bytes();
    byte[] two = layer().whiteout("/a/f").file("/a/g", "2").bytes();
    Path file = TestImages.dockerArchive(tmp.resolve("d.tar"), List.of(one, two), "test:1");
    ImageReference ref = ImageReference.parseInput("docker-archive:" + file + ":test:1");
    try (LayeredImage image =
            new ImageArchiveReader(json, oci).read(ref, file, new LayerReader(tmp, 1 << 30));
        RootFs fs = image.filesystem()) {
      assertEquals(Optional.empty(), fs.get("/a/f"));
      assertInstanceOf(FsNode.RegularFile.class, fs.get("/a/g").orElseThrow());
      assertEquals(Digests.of(TestImages.config(List.of(one, two))), image.id());
    }
    assertEquals(flatten(Compression.NONE, one, two), flatten(Compression.ZSTD, one, two));
  }
}
