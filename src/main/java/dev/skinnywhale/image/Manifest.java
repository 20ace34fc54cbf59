package dev.skinnywhale.image;

import java.util.List;
import java.util.Objects;

/**
 * An image manifest (OCI or Docker schema 2): the config and the layers, bottom first.
 *
 * @param mediaType the manifest's own media type
 * @param config the config blob
 * @param layers the layer blobs, bottom first
 */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers) {
  public Manifest {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
  }
}
