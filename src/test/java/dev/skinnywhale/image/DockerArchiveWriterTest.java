package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveWriterTest {
  @TempDir Path tmp;
  static final ObjectMapper JSON = new ObjectMapper();

  private Layer layer() throws Exception {
    return Layer.write(tmp, out -> out.write("pretend tar".getBytes(StandardCharsets.US_ASCII)));
  }

  private byte[] archive(Layer layer) throws Exception {
    ObjectNode config = ImageConfigs.forSlimImage(ImageConfigsTest.source(), layer.diffId(), "c");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DockerArchiveWriter(JSON).write(out, config, layer, List.of("skinny-abc", "r/x:1"));
    return out.toByteArray();
  }

  @Test
  void testLayerWrite_digestAndSize() throws Exception {
    Layer layer = layer();
    {
      byte[] expected =
          MessageDigest.getInstance("SHA-256")
              .digest("pretend tar".getBytes(StandardCharsets.US_ASCII));
      assertEquals("sha256:" + HexFormat.of().formatHex(expected), layer.diffId());
      assertEquals(11, layer.size());
      layer.close();
      assertEquals(false, Files.exists(layer.path()));
    }
  }

  @Test
  void testWrite_layout() throws Exception {
    try (Layer layer = layer()) {
      Path file = tmp.resolve("image.tar");
      Files.write(file, archive(layer));
      Map<String, byte[]> entries = new LinkedHashMap<>();
      try (TarFile tar = new TarFile(file)) {
        for (TarArchiveEntry e : tar.getEntries()) {
          entries.put(e.getName(), tar.getInputStream(e).readAllBytes());
          assertEquals(0, e.getLastModifiedDate().getTime());
        }
      }
      JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
      assertEquals(1, manifest.size());
      String configName = manifest.get(0).get("Config").asText();
      byte[] config = entries.get(configName);
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config)) + ".json",
          configName);
      assertEquals("app:app", JSON.readTree(config).at("/config/User").asText());
      assertEquals(
          JSON.readTree("[\"skinny-abc:latest\",\"r/x:1\"]"), manifest.get(0).get("RepoTags"));
      String layerName = layer.hex() + "/layer.tar";
      assertEquals(JSON.createArrayNode().add(layerName), manifest.get(0).get("Layers"));
      assertArrayEquals("pretend tar".getBytes(StandardCharsets.US_ASCII), entries.get(layerName));
      List<String> names = new ArrayList<>(entries.keySet());
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      assertEquals(sorted, names);
      assertEquals(4, names.size());
    }
  }

  @Test
  void testWrite_twiceGivesIdenticalBytes() throws Exception {
    try (Layer layer = layer()) {
      assertArrayEquals(archive(layer), archive(layer));
    }
  }

  @Test
  void testWrite_configNotNamingTheLayer_rejected() throws Exception {
    try (Layer layer = layer()) {
      ObjectNode config = ImageConfigsTest.source();
      assertThrows(
          IllegalArgumentException.class,
          () ->
              new DockerArchiveWriter()
                  .write(new ByteArrayOutputStream(), config, layer, List.of("a:b")));
    }
  }

  @Test
  void testNormalizeTag() {
    assertEquals("a:latest", DockerArchiveWriter.normalizeTag("a"));
    assertEquals("host:5000/a:latest", DockerArchiveWriter.normalizeTag("host:5000/a"));
    assertEquals("host:5000/a:v1", DockerArchiveWriter.normalizeTag("host:5000/a:v1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> DockerArchiveWriter.normalizeTag("a@sha256:" + "0".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> DockerArchiveWriter.normalizeTag("a b"));
  }
}
