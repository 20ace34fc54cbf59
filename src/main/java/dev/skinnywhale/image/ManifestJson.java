package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The wire JSON of image layouts: OCI index and manifest, Docker's {@code manifest.json}, read
 * distrustfully (every field checked, digests well-formed) and written compact, in a fixed field
 * order, so the same image gives the same bytes and digests.
 */
public final class ManifestJson {
  /** The most bytes a JSON document of an image may have. */
  public static final int MAX_BYTES = 4 << 20;

  /**
   * One image of a {@code docker save} archive.
   *
   * @param config the member holding the config
   * @param repoTags its tags
   * @param layers the members holding the layers, bottom first
   */
  public record ArchiveImage(String config, List<String> repoTags, List<String> layers) {
    public ArchiveImage {
      repoTags = List.copyOf(repoTags);
      layers = List.copyOf(layers);
    }
  }

  private final ObjectMapper mapper;

  public ManifestJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** The manifests an index names (OCI index or Docker manifest list). */
  public List<Descriptor> index(byte[] json, String what) {
    JsonNode root = tree(json, what);
    JsonNode manifests = root.path("manifests");
    if (!manifests.isArray()) {
      throw new ImageFormatException(what + ": no \"manifests\" array");
    }
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode m : manifests) {
      out.add(descriptor(m, what));
    }
    return out;
  }

  /** The media type a document says it has ("" when it says none). */
  public String mediaType(byte[] json, String what) {
    return tree(json, what).path("mediaType").asText("");
  }

  public Manifest manifest(byte[] json, String what) {
    JsonNode root = tree(json, what);
    if (root.path("schemaVersion").asInt(0) != 2) {
      throw new ImageFormatException(what + ": not a schema 2 manifest");
    }
    if (!root.path("layers").isArray()) {
      throw new ImageFormatException(what + ": no \"layers\" array");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode l : root.path("layers")) {
      Descriptor d = descriptor(l, what);
      if (!MediaTypes.isLayer(d.mediaType())) {
        throw new ImageFormatException(
            what + ": layer " + d.digest() + " has media type " + d.mediaType() + ", not a layer");
      }
      layers.add(d);
    }
    String type = root.path("mediaType").asText(MediaTypes.OCI_MANIFEST);
    return new Manifest(type, descriptor(root.path("config"), what), layers);
  }

  /** The images of a docker-archive's {@code manifest.json}. */
  public List<ArchiveImage> archiveManifest(byte[] json, String what) {
    JsonNode root = tree(json, what);
    if (!root.isArray()) {
      throw new ImageFormatException(what + ": not a JSON array");
    }
    List<ArchiveImage> out = new ArrayList<>();
    for (JsonNode image : root) {
      String config = text(image, "Config", what);
      List<String> tags = new ArrayList<>();
      image.path("RepoTags").forEach(t -> tags.add(t.asText()));
      List<String> layers = new ArrayList<>();
      if (!image.path("Layers").isArray()) {
        throw new ImageFormatException(what + ": an image without \"Layers\"");
      }
      image.path("Layers").forEach(l -> layers.add(l.asText()));
      out.add(new ArchiveImage(config, tags, layers));
    }
    return out;
  }

  /** The diff_ids of a config, bottom first. */
  public List<String> diffIds(JsonNode config, String what) {
    JsonNode ids = config.path("rootfs").path("diff_ids");
    if (!ids.isArray()) {
      throw new ImageFormatException(what + ": the config has no rootfs.diff_ids");
    }
    List<String> out = new ArrayList<>();
    ids.forEach(id -> out.add(Digests.check(id.asText(), what + ": diff_id")));
    return out;
  }

  /** A config document, checked to be a JSON object. */
  public ObjectNode config(byte[] json, String what) {
    JsonNode node = tree(json, what);
    if (!(node instanceof ObjectNode o)) {
      throw new ImageFormatException(what + ": the config is not a JSON object");
    }
    return o;
  }

  // ---- writing ----

  /** An OCI manifest: schemaVersion, mediaType, config, layers (and nothing else). */
  public byte[] writeManifest(Descriptor config, List<Descriptor> layers) {
    ObjectNode root = mapper.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    root.set("config", node(config));
    ArrayNode l = root.putArray("layers");
    layers.forEach(d -> l.add(node(d)));
    return bytes(root);
  }

  /** An OCI index of these manifests. */
  public byte[] writeIndex(List<Descriptor> manifests) {
    ObjectNode root = mapper.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode m = root.putArray("manifests");
    manifests.forEach(d -> m.add(node(d)));
    return bytes(root);
  }

  /** Docker's {@code manifest.json} for one image. */
  public byte[] writeArchiveManifest(ArchiveImage image) {
    ArrayNode root = mapper.createArrayNode();
    ObjectNode i = root.addObject();
    i.put("Config", image.config());
    ArrayNode tags = i.putArray("RepoTags");
    image.repoTags().forEach(tags::add);
    ArrayNode layers = i.putArray("Layers");
    image.layers().forEach(layers::add);
    return bytes(root);
  }

  public byte[] bytes(JsonNode node) {
    try {
      return mapper.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private ObjectNode node(Descriptor d) {
    ObjectNode n = mapper.createObjectNode();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest());
    n.put("size", d.size());
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
    d.platform()
        .ifPresent(
            p -> {
              String[] parts = p.split("/");
              ObjectNode pl = n.putObject("platform");
              pl.put("architecture", parts.length > 1 ? parts[1] : "");
              pl.put("os", parts[0]);
              if (parts.length > 2) {
                pl.put("variant", parts[2]);
              }
            });
    return n;
  }

  private Descriptor descriptor(JsonNode n, String what) {
    if (!n.isObject()) {
      throw new ImageFormatException(what + ": a descriptor is not a JSON object");
    }
    String digest = Digests.check(n.path("digest").asText(null), what);
    if (!n.path("size").canConvertToLong() || n.path("size").asLong() < 0) {
      throw new ImageFormatException(what + ": descriptor " + digest + " has no valid size");
    }
    Map<String, String> annotations = new TreeMap<>();
    n.path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    Optional<String> platform = Optional.empty();
    JsonNode p = n.path("platform");
    if (p.isObject()) {
      String variant = p.path("variant").asText("");
      platform =
          Optional.of(
              p.path("os").asText("")
                  + "/"
                  + p.path("architecture").asText("")
                  + (variant.isEmpty() ? "" : "/" + variant));
    }
    return new Descriptor(
        n.path("mediaType").asText(""), digest, n.path("size").asLong(), annotations, platform);
  }

  private static String text(JsonNode n, String field, String what) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new ImageFormatException(what + ": no \"" + field + "\"");
    }
    return v.asText();
  }

  private JsonNode tree(byte[] json, String what) {
    if (json.length > MAX_BYTES) {
      throw new ImageFormatException(what + ": larger than " + MAX_BYTES + " bytes");
    }
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new ImageFormatException(what + ": empty");
      }
      return node;
    } catch (IOException e) {
      throw new ImageFormatException(what + ": not valid JSON: " + e.getMessage(), e);
    }
  }
}
