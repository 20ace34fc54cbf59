package dev.skinnywhale.image;

import static dev.skinnywhale.image.TestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile or broken images: each is a clear error naming the blob, and nothing is written outside
 * the temporary directory (which is empty again once the image is closed).
 */
class UntrustedArchiveTest {
  @TempDir Path tmp;

  static byte[] rawLayer(String name, char type, String link) {
    return new dev.skinnywhale.tar.RawTarAccess().entry(name, type, "x", link).end().bytes();
  }

  static Stream<Arguments> hostile() {
    byte[] good = layer().dir("/etc").file("/etc/ok", "ok").bytes();
    return Stream.of(
        Arguments.of(
            "dotdot entry",
            List.of(rawLayer("../../outside", '0', "")),
            noEdit(),
            "escapes the root"),
        Arguments.of(
            "absolute entry", List.of(rawLayer("/etc/passwd", '0', "")), noEdit(), "absolute name"),
        Arguments.of(
            "dotdot hard link",
            List.of(rawLayer("x", '1', "../../etc/shadow")),
            noEdit(),
            "escapes the root"),
        Arguments.of(
            "write through a symlink",
            List.of(layer().symlink("/s", "../../../tmp").file("/s/planted", "x").bytes()),
            noEdit(),
            "which is a symlink"),
        Arguments.of(
            "missing blob",
            List.of(good),
            (Consumer<Map<String, byte[]>>)
                m -> m.keySet().removeIf(k -> k.startsWith("blobs/") && isLayer(m.get(k))),
            "which it does not have"),
        Arguments.of(
            "digest mismatch",
            List.of(good),
            (Consumer<Map<String, byte[]>>)
                m -> m.replaceAll((k, v) -> k.startsWith("blobs/") && isLayer(v) ? tamper(v) : v),
            "digest mismatch"),
        Arguments.of(
            "blob symlinked out of the archive",
            List.of(good),
            (Consumer<Map<String, byte[]>>)
                m ->
                    m.replaceAll(
                        (k, v) ->
                            k.startsWith("blobs/") && isLayer(v)
                                ? "-> ../../../../etc/passwd".getBytes(StandardCharsets.ISO_8859_1)
                                : v),
            "outside the archive"));
  }

  private static Consumer<Map<String, byte[]>> noEdit() {
    return m -> {};
  }

  /** A layer blob (an uncompressed tar) rather than JSON. */
  private static boolean isLayer(byte[] b) {
    return b.length > 600 && b[0] != '{';
  }

  /** The same length, one byte of the first file's content changed. */
  private static byte[] tamper(byte[] tar) {
    byte[] out = tar.clone();
    out[512] ^= 1;
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void read_hostileArchive_clearErrorNamingTheBlob_nothingWritten(
      String what, List<byte[]> layers, Consumer<Map<String, byte[]>> edit, String message)
      throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path file = TestImages.ociArchive(tmp.resolve("evil.tar"), layers, Compression.NONE, edit);
    ManifestJson json = TestImages.MANIFESTS;
    ImageReference ref = ImageReference.parseInput("oci-archive:" + file);
    ImageFormatException e =
        assertThrows(
            ImageFormatException.class,
            () -> {
              try (LayeredImage image =
                      new ImageArchiveReader(json, new OciImages(json, "linux/amd64"))
                          .read(ref, file, new LayerReader(work, 1 << 30));
                  RootFs fs = image.filesystem()) {
                fs.size();
              }
            });
    assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
    assertTrue(
        e.getMessage().contains("sha256:") || e.getMessage().contains("blobs/sha256/"),
        "names the blob: " + e.getMessage());
    try (var left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "spool files removed");
    }
    try (var left = Files.list(outside)) {
      assertEquals(List.of(), left.toList(), "nothing written outside");
    }
  }
}
