package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What the engine says of an image.
 *
 * @param id "sha256:…"
 * @param repoTags its tags (may be empty)
 * @param size total size in bytes, all layers
 * @param layers the diff ids of its layers, bottom first
 * @param imageConfig the image config in the image-config format (architecture, os, variant,
 *     created, config), built losslessly from the engine's inspect answer (a copy)
 */
public record ImageDetails(
    String id, List<String> repoTags, long size, List<String> layers, ObjectNode imageConfig) {
  public ImageDetails {
    Objects.requireNonNull(id, "id");
    repoTags = List.copyOf(repoTags);
    layers = List.copyOf(layers);
    imageConfig = imageConfig.deepCopy();
  }

  @Override
  public ObjectNode imageConfig() {
    return imageConfig.deepCopy();
  }

  public String architecture() {
    return imageConfig.path("architecture").asText("amd64");
  }

  public String shortId() {
    String hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.substring(0, Math.min(12, hex.length()));
  }
}
