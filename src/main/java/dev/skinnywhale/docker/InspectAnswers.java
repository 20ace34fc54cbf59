package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's inspect answers ({@code GET /containers/{id}/json}, {@code GET /images/{id}/json})
 * translated into {@link ContainerDetails} and {@link ImageDetails}, configs kept whole.
 */
final class InspectAnswers {
  private final ObjectMapper json;

  InspectAnswers(ObjectMapper json) {
    this.json = json;
  }

  ContainerDetails container(JsonNode c) {
    return new ContainerDetails(
        c.path("Id").asText(),
        stripSlash(c.path("Name").asText("")),
        c.path("Image").asText(""),
        c.path("State").path("Running").asBoolean(false),
        c.path("Created").asText(""),
        c.path("SizeRootFs").asLong(0),
        objectOrEmpty(c.get("Config")));
  }

  /** The image, its config in the image-config format (lower-case keys, as in an archive). */
  ImageDetails image(JsonNode i) {
    ObjectNode imageConfig = json.createObjectNode();
    copyText(i, "Architecture", imageConfig, "architecture");
    copyText(i, "Variant", imageConfig, "variant");
    copyText(i, "Os", imageConfig, "os");
    copyText(i, "OsVersion", imageConfig, "os.version");
    copyText(i, "Created", imageConfig, "created");
    copyText(i, "Author", imageConfig, "author");
    copyText(i, "DockerVersion", imageConfig, "docker_version");
    imageConfig.set("config", objectOrEmpty(i.get("Config")));
    List<String> tags = new ArrayList<>();
    i.path("RepoTags").forEach(t -> tags.add(t.asText()));
    List<String> layers = new ArrayList<>();
    i.path("RootFS").path("Layers").forEach(l -> layers.add(l.asText()));
    return new ImageDetails(
        i.path("Id").asText(), tags, i.path("Size").asLong(0), layers, imageConfig);
  }

  private ObjectNode objectOrEmpty(JsonNode node) {
    return node instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
  }

  private static void copyText(JsonNode from, String key, ObjectNode to, String toKey) {
    JsonNode v = from.get(key);
    if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
      to.set(toKey, v.deepCopy());
    }
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }
}
