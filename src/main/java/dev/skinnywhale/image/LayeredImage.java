package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image read from outside the engine — an archive, an OCI layout or a registry: its config, byte
 * for byte as stored (its sha256 is the image id), and its layers as checked, uncompressed tars.
 * Closing it closes the files it reads and deletes the spool files it made.
 */
public final class LayeredImage implements Closeable {
  private final ImageReference reference;
  private final byte[] configBytes;
  private final ObjectNode config;
  private final List<LayerTar> layers;
  private final List<Closeable> resources;

  public LayeredImage(
      ImageReference reference,
      byte[] configBytes,
      ObjectNode config,
      List<LayerTar> layers,
      List<? extends Closeable> resources) {
    this.reference = Objects.requireNonNull(reference, "reference");
    this.configBytes = configBytes.clone();
    this.config = config.deepCopy();
    this.layers = List.copyOf(layers);
    this.resources = new ArrayList<>(resources);
  }

  public ImageReference reference() {
    return reference;
  }

  /** The config as stored. */
  public byte[] configBytes() {
    return configBytes.clone();
  }

  /** The config (a copy). */
  public ObjectNode config() {
    return config.deepCopy();
  }

  /** The image id: the config's digest. */
  public String id() {
    return Digests.of(configBytes);
  }

  public List<LayerTar> layers() {
    return layers;
  }

  /** Bytes of all layers, uncompressed. */
  public long size() {
    return layers.stream().mapToLong(LayerTar::length).sum();
  }

  /** The flattened filesystem; its blobs read this image's files, so close this after it. */
  public RootFs filesystem() throws IOException {
    return new LayerFlattener().flatten(layers);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }
}
