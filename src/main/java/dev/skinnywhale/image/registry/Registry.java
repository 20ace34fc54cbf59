package dev.skinnywhale.image.registry;

import dev.skinnywhale.image.BuiltImage;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayeredImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The subset of a registry client that skinnywhale uses: pull one image, push one image. Errors are
 * {@link RegistryException}s naming the registry and what was being done.
 */
public interface Registry {
  /**
   * Pulls the image {@code reference} names (the platform of this machine from an index): its
   * config and layers, downloaded into {@code tempDir} and checked against their digests.
   */
  LayeredImage pull(ImageReference reference, LayerReader layers, Path tempDir) throws IOException;

  /** Pushes the blobs the registry lacks, then the manifest; returns the manifest's digest. */
  String push(ImageReference reference, BuiltImage image) throws IOException;
}
