package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What the engine says of a container.
 *
 * @param id full container id
 * @param name name without the leading '/'
 * @param imageId id of the image the container was created from
 * @param running whether it is running now
 * @param created the container's creation time as the engine wrote it (RFC 3339)
 * @param sizeRootFs the size of all its files (image layers and its own), in bytes
 * @param config the container's runtime config ({@code Config}: Entrypoint, Cmd, Env, …), as the
 *     engine sent it, so nothing is lost (a copy; changing it changes nothing here)
 */
public record ContainerDetails(
    String id,
    String name,
    String imageId,
    boolean running,
    String created,
    long sizeRootFs,
    ObjectNode config) {
  public ContainerDetails {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(created, "created");
    config = config.deepCopy();
  }

  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }

  public String shortId() {
    return id.substring(0, Math.min(12, id.length()));
  }
}
