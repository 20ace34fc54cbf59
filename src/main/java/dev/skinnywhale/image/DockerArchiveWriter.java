package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@code docker load} tarball in the classic docker-archive layout (as jib's
 * ImageTarball):
 *
 * <pre>
 *   &lt;configHex&gt;.json          the image config, bytes as given (its sha256 is the image id)
 *   &lt;diffIdHex&gt;/              directory of the layer
 *   &lt;diffIdHex&gt;/layer.tar     the uncompressed layer
 *   manifest.json              [{"Config": ..., "RepoTags": [...], "Layers": [...]}]
 * </pre>
 *
 * Entries are in name order, root-owned, mode 0644/0755, mtime at the epoch: the same config, layer
 * and tags give the same bytes. A tag without a ":tag" part gets ":latest" (the engine refuses
 * untagged RepoTags); a digest reference is refused.
 */
public final class DockerArchiveWriter {
  private static final Instant FIXED_MTIME = Instant.EPOCH;

  private final ObjectMapper mapper;

  public DockerArchiveWriter() {
    this(new ObjectMapper());
  }

  public DockerArchiveWriter(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * Writes the archive to {@code out} (flushed, not closed).
   *
   * @param config the final image config; its {@code rootfs.diff_ids} must be exactly the layer's
   *     diffId (see {@link ImageConfigs#forSlimImage})
   */
  public void write(OutputStream out, ObjectNode config, Layer layer, List<String> repoTags)
      throws IOException {
    write(out, config, layer, repoTags, true);
  }

  /**
   * {@link #write(OutputStream, ObjectNode, Layer, List)}, checking the layer file's digest on the
   * way or not: an archive that goes straight to the engine's load is checked there (the engine
   * refuses a layer whose digest is not its diff id), and the second pass over a large layer costs
   * about a second per gigabyte.
   */
  public void write(
      OutputStream out, ObjectNode config, Layer layer, List<String> repoTags, boolean checkLayer)
      throws IOException {
    checkDiffIds(config, layer);
    List<String> tags = new ArrayList<>();
    for (String tag : repoTags) {
      tags.add(normalizeTag(tag));
    }
    byte[] configBytes =
        mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(config);
    String configName = HexFormat.of().formatHex(Layer.sha256().digest(configBytes)) + ".json";
    String layerDir = layer.hex() + "/";
    String layerName = layerDir + "layer.tar";

    ArrayNode manifest = mapper.createArrayNode();
    ObjectNode image = manifest.addObject();
    image.put("Config", configName);
    ArrayNode repoTagsNode = image.putArray("RepoTags");
    tags.forEach(repoTagsNode::add);
    image.putArray("Layers").add(layerName);
    byte[] manifestBytes =
        mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest);

    // Name order: hex digits sort before "manifest.json"; config and layer by their hex.
    TarStreamWriter tar = new TarStreamWriter(out);
    if (configName.compareTo(layerDir) < 0) {
      tar.addFile(configName, configBytes, FIXED_MTIME);
      writeLayer(tar, layerDir, layerName, layer, checkLayer);
    } else {
      writeLayer(tar, layerDir, layerName, layer, checkLayer);
      tar.addFile(configName, configBytes, FIXED_MTIME);
    }
    tar.addFile("manifest.json", manifestBytes, FIXED_MTIME);
    tar.finish();
  }

  /**
   * Writes an image read from elsewhere as a classic {@code docker load} archive, untagged (so
   * loading it moves no tag of the user's): the config bytes as stored (the loaded image keeps its
   * id), each layer's uncompressed tar as {@code <diffIdHex>/layer.tar}.
   */
  public void write(OutputStream out, byte[] configBytes, List<LayerTar> layers)
      throws IOException {
    String configName = Digests.hex(Digests.of(configBytes)) + ".json";
    java.util.TreeMap<String, Object> entries = new java.util.TreeMap<>();
    entries.put(configName, configBytes);
    ArrayNode manifest = mapper.createArrayNode();
    ObjectNode image = manifest.addObject();
    image.put("Config", configName);
    image.putArray("RepoTags");
    ArrayNode names = image.putArray("Layers");
    for (LayerTar layer : layers) {
      String dir = Digests.hex(layer.diffId()) + "/";
      names.add(dir + "layer.tar");
      entries.put(dir, null);
      entries.put(dir + "layer.tar", layer);
    }
    entries.put(
        "manifest.json",
        mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest));
    TarStreamWriter tar = new TarStreamWriter(out);
    NodeMeta file = new NodeMeta(0644, 0, 0, "", "", FIXED_MTIME, Map.of());
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      if (e.getValue() == null) {
        tar.addDirectory(e.getKey(), new NodeMeta(0755, 0, 0, "", "", FIXED_MTIME, Map.of()));
      } else if (e.getValue() instanceof byte[] bytes) {
        tar.addFile(e.getKey(), bytes, FIXED_MTIME);
      } else {
        LayerTar layer = (LayerTar) e.getValue();
        try (InputStream in = layer.file().window(layer.offset(), layer.length()).open()) {
          tar.addFile(e.getKey(), file, layer.length(), in);
        }
      }
    }
    tar.finish();
  }

  private static void writeLayer(
      TarStreamWriter tar, String dir, String name, Layer layer, boolean check) throws IOException {
    tar.addDirectory(dir, new NodeMeta(0755, 0, 0, "", "", FIXED_MTIME, Map.of()));
    MessageDigest sha = Layer.sha256();
    InputStream file = Files.newInputStream(layer.path());
    try (InputStream in = check ? new DigestInputStream(file, sha) : file) {
      tar.addFile(name, new NodeMeta(0644, 0, 0, "", "", FIXED_MTIME, Map.of()), layer.size(), in);
    } catch (IOException e) {
      throw new IOException("writing layer " + layer.diffId() + ": " + e.getMessage(), e);
    }
    if (!check) {
      return;
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(layer.diffId())) {
      throw new IOException(
          "layer file "
              + layer.path()
              + " changed: digest "
              + actual
              + ", expected "
              + layer.diffId());
    }
  }

  private static void checkDiffIds(ObjectNode config, Layer layer) {
    JsonNode ids = config.path("rootfs").path("diff_ids");
    if (!ids.isArray() || ids.size() != 1 || !layer.diffId().equals(ids.get(0).asText())) {
      throw new IllegalArgumentException(
          "config rootfs.diff_ids " + ids + " does not name the layer " + layer.diffId());
    }
  }

  /** "name" → "name:latest"; "host:5000/name" → "host:5000/name:latest"; digests refused. */
  static String normalizeTag(String tag) {
    if (tag.isEmpty() || tag.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("invalid tag: \"" + tag + "\"");
    }
    if (tag.contains("@")) {
      throw new IllegalArgumentException("a digest is not a tag: " + tag);
    }
    String last = tag.substring(tag.lastIndexOf('/') + 1);
    return last.contains(":") ? tag : tag + ":latest";
  }
}
