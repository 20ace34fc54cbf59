package dev.skinnywhale.image;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a manifest or index says of a blob.
 *
 * @param mediaType its media type
 * @param digest {@code sha256:<hex>}, checked to be well-formed
 * @param size its length in bytes
 * @param annotations its annotations (sorted)
 * @param platform "os/architecture[/variant]" of a manifest in an index, when given
 */
public record Descriptor(
    String mediaType,
    String digest,
    long size,
    Map<String, String> annotations,
    Optional<String> platform) {
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Digests.check(digest, "descriptor");
    if (size < 0) {
      throw new ImageFormatException("descriptor " + digest + " has a negative size");
    }
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    Objects.requireNonNull(platform, "platform");
  }

  public static Descriptor of(String mediaType, String digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty());
  }
}
