package dev.skinnywhale.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.image.Transport;
import java.util.Objects;

/**
 * What the user asked to slim, as found in the engine.
 *
 * @param kind container or image
 * @param id full id of the container or image
 * @param shortId first 12 hex digits, used for the default tag
 * @param reference what the user typed
 * @param imageId the image: itself, or the one the container was made from
 * @param imageConfig the image config the slim image starts from (for a container: its image's
 *     config with the container's runtime config and creation time)
 * @param size bytes of the whole filesystem (image layers, plus the container's own for a
 *     container)
 * @param transport where it was found: the engine, or an archive, OCI layout or registry (then
 *     {@code id} and {@code imageId} are the config's digest, as the engine would have them)
 */
public record Source(
    Kind kind,
    String id,
    String shortId,
    String reference,
    String imageId,
    ObjectNode imageConfig,
    long size,
    Transport transport) {
  public enum Kind {
    CONTAINER,
    IMAGE
  }

  public Source {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(shortId, "shortId");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(imageId, "imageId");
    imageConfig = imageConfig.deepCopy();
    Objects.requireNonNull(transport, "transport");
  }

  /** A container or image of the engine. */
  public Source(
      Kind kind,
      String id,
      String shortId,
      String reference,
      String imageId,
      ObjectNode imageConfig,
      long size) {
    this(kind, id, shortId, reference, imageId, imageConfig, size, Transport.DOCKER_DAEMON);
  }

  /** Whether it is in the engine (else it was read from a file or a registry). */
  public boolean inEngine() {
    return transport == Transport.DOCKER_DAEMON;
  }

  @Override
  public ObjectNode imageConfig() {
    return imageConfig.deepCopy();
  }

  /** The same source with another config (the source's own, changed by --change). */
  public Source withImageConfig(ObjectNode config) {
    return new Source(kind, id, shortId, reference, imageId, config, size, transport);
  }

  /** The image's Env as "KEY=VALUE" entries. */
  public java.util.List<String> env() {
    java.util.List<String> out = new java.util.ArrayList<>();
    imageConfig.path("config").path("Env").forEach(e -> out.add(e.asText()));
    return out;
  }

  public String architecture() {
    return imageConfig.path("architecture").asText("amd64");
  }
}
