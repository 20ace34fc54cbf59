package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The image's own entries of a few paths, read from a docker save stream's headers. */
class LayerEntriesTest {
  static final Set<String> WANTED = Set.of("/etc", "/etc/hosts", "/dev", "/proc", "/sys");
  final LayerEntries entries = new LayerEntries(new ManifestJson(new ObjectMapper()));

  static NodeMeta at(int mode, long seconds) {
    return new NodeMeta(mode, 0, 0, "", "", Instant.ofEpochSecond(seconds), Map.of());
  }

  /** A layer: name → mtime seconds (a trailing '/' is a directory, else an empty file). */
  static byte[] layer(Map<String, Long> members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    for (Map.Entry<String, Long> m : members.entrySet()) {
      if (m.getKey().endsWith("/")) {
        w.addDirectory(m.getKey(), at(0755, m.getValue()));
      } else {
        w.addFile(m.getKey(), at(0644, m.getValue()), 0, new ByteArrayInputStream(new byte[0]));
      }
    }
    w.finish();
    return out.toByteArray();
  }

  /** A docker save archive of these layers, bottom first, layer members before the manifest. */
  static byte[] save(byte[]... layers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    StringBuilder names = new StringBuilder();
    for (int i = layers.length - 1; i >= 0; i--) { // stored in another order than applied
      w.addFile("l" + i + "/layer.tar", layers[i], Instant.EPOCH);
    }
    for (int i = 0; i < layers.length; i++) {
      names.append(i == 0 ? "" : ",").append("\"l").append(i).append("/layer.tar\"");
    }
    w.addFile("cfg.json", "{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    String manifest = "[{\"Config\":\"cfg.json\",\"RepoTags\":null,\"Layers\":[" + names + "]}]";
    w.addFile("manifest.json", manifest.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    w.finish();
    return out.toByteArray();
  }

  Map<String, Long> find(byte[] save) throws IOException {
    Map<String, TarEntry> found = entries.find(new ByteArrayInputStream(save), WANTED, "img");
    Map<String, Long> out = new LinkedHashMap<>();
    found.forEach((p, e) -> out.put(p, e.meta().mtime().getEpochSecond()));
    return out;
  }

  static Map<String, Long> members(Object... kv) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void find_topLayerWins_andAbsentPathsAreMissing() throws IOException {
    byte[] base = layer(members("etc/", 100, "etc/passwd", 100, "proc/", 101, "dev/", 102));
    byte[] top = layer(members("etc/", 200, "etc/hosts", 201));
    assertEquals(
        Map.of("/etc", 200L, "/etc/hosts", 201L, "/proc", 101L, "/dev", 102L),
        find(save(base, top)));
  }

  @Test
  void find_whiteoutAndOpaqueDirectoryHideLowerLayers() throws IOException {
    byte[] base = layer(members("etc/", 100, "etc/hosts", 100, "sys/", 100, "dev/", 100));
    byte[] top = layer(members("etc/", 200, "etc/.wh..wh..opq", 200, ".wh.sys", 200));
    assertEquals(Map.of("/etc", 200L, "/dev", 100L), find(save(base, top)));
  }

  @Test
  void find_memberThatIsNotATar_isNoLayer() throws IOException {
    byte[] notTar = new byte[4096];
    java.util.Arrays.fill(notTar, (byte) 'x');
    assertEquals(Map.of(), find(save(notTar)));
  }

  @Test
  void find_noManifest_isAFormatError() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    w.addFile("l0/layer.tar", layer(members("etc/", 1)), Instant.EPOCH);
    w.finish();
    assertThrows(
        ImageFormatException.class,
        () -> entries.find(new ByteArrayInputStream(out.toByteArray()), WANTED, "img"));
  }
}
