package dev.skinnywhale.workflow;

import dev.skinnywhale.image.Compression;
import java.util.Objects;
import java.util.Set;

/**
 * How images are written outside the engine and how registries are reached.
 *
 * @param compression of the layer in archives, OCI layouts and registries (gzip by default)
 * @param insecureRegistries HOST or HOST:PORT of registries reached over plain HTTP
 */
public record ImageOptions(Compression compression, Set<String> insecureRegistries) {
  public static final ImageOptions DEFAULT = new ImageOptions(Compression.GZIP, Set.of());

  public ImageOptions {
    Objects.requireNonNull(compression, "compression");
    insecureRegistries = Set.copyOf(insecureRegistries);
  }
}
