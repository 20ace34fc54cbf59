package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * A one-layer image ready to be written anywhere but the engine: the config's bytes, the layer
 * compressed (a temporary file), and the OCI manifest naming both. Every part is a function of its
 * input, so the same config and layer give the same manifest digest.
 *
 * @param configBytes the config as written (its sha256 is the image id)
 * @param config the config's descriptor
 * @param layerFile the compressed layer blob
 * @param layer the layer blob's descriptor
 * @param diffId the uncompressed layer's digest
 * @param manifestBytes the OCI manifest
 */
public record BuiltImage(
    byte[] configBytes,
    Descriptor config,
    Path layerFile,
    Descriptor layer,
    String diffId,
    byte[] manifestBytes)
    implements Closeable {
  public BuiltImage {
    configBytes = configBytes.clone();
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(layerFile, "layerFile");
    Objects.requireNonNull(layer, "layer");
    Digests.check(diffId, "diffId");
    manifestBytes = manifestBytes.clone();
  }

  @Override
  public byte[] configBytes() {
    return configBytes.clone();
  }

  @Override
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** The manifest's digest: what a registry and an OCI index name the image by. */
  public String manifestDigest() {
    return Digests.of(manifestBytes);
  }

  /** The manifest's descriptor, for an index. */
  public Descriptor manifest() {
    return Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest(), manifestBytes.length);
  }

  /** The image id (the config's digest). */
  public String id() {
    return config.digest();
  }

  /**
   * Compresses {@code layer} into a temporary file of {@code tempDir} and makes the manifest.
   *
   * @param config the final config; its rootfs.diff_ids must be exactly the layer's diff id
   */
  public static BuiltImage of(
      ManifestJson json, ObjectNode config, Layer layer, Compression compression, Path tempDir)
      throws IOException {
    JsonNode ids = config.path("rootfs").path("diff_ids");
    if (!ids.isArray() || ids.size() != 1 || !layer.diffId().equals(ids.get(0).asText())) {
      throw new IllegalArgumentException(
          "config rootfs.diff_ids " + ids + " does not name the layer " + layer.diffId());
    }
    byte[] configBytes = json.bytes(config);
    Path file = Files.createTempFile(tempDir, "skinnywhale-blob-", ".tar");
    boolean ok = false;
    try {
      MessageDigest sha = Digests.sha256();
      try (InputStream in = Files.newInputStream(layer.path());
          OutputStream raw =
              new DigestOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sha)) {
        try (OutputStream z = compression.compress(raw)) {
          in.transferTo(z);
        }
      }
      Descriptor layerDescriptor =
          Descriptor.of(compression.ociMediaType(), Digests.format(sha.digest()), Files.size(file));
      Descriptor configDescriptor =
          Descriptor.of(MediaTypes.OCI_CONFIG, Digests.of(configBytes), configBytes.length);
      byte[] manifest = json.writeManifest(configDescriptor, List.of(layerDescriptor));
      BuiltImage built =
          new BuiltImage(
              configBytes, configDescriptor, file, layerDescriptor, layer.diffId(), manifest);
      ok = true;
      return built;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes the compressed layer file. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(layerFile);
  }
}
