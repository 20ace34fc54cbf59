package dev.skinnywhale.workflow.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.image.ImageArchiveReader;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.ManifestJson;
import dev.skinnywhale.image.OciImages;
import dev.skinnywhale.image.OciLayoutReader;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.image.registry.JibRegistry;
import dev.skinnywhale.image.registry.Registry;
import dev.skinnywhale.image.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The images of one run that do not live in the engine: each archive, OCI layout or registry image
 * is opened once (a registry image downloaded once), shared by the steps that read it, and closed
 * by the run's {@link Cleanup} — which deletes every spool and download it made.
 */
public final class ImageInputs {
  private final Path tempDir;
  private final Cleanup cleanup;
  private final Reporter reporter;
  private final RegistryOptions registryOptions;
  private final ManifestJson json = new ManifestJson(new ObjectMapper());
  private final Map<String, LayeredImage> open = new HashMap<>();
  private Registry registry;

  ImageInputs(Path tempDir, Cleanup cleanup, Reporter reporter, RegistryOptions registryOptions) {
    this.tempDir = tempDir;
    this.cleanup = cleanup;
    this.reporter = reporter;
    this.registryOptions = registryOptions;
  }

  /** The image {@code reference} names, opened on first use; not an engine reference. */
  public synchronized LayeredImage open(ImageReference reference) throws IOException {
    LayeredImage image = open.get(reference.toString());
    if (image != null) {
      return image;
    }
    LayerReader layers = new LayerReader(tempDir, LayerReader.DEFAULT_MAX_BYTES);
    OciImages oci = new OciImages(json, OciImages.hostPlatform());
    image =
        switch (reference.transport()) {
          case DOCKER_ARCHIVE, OCI_ARCHIVE ->
              new ImageArchiveReader(json, oci)
                  .read(reference, Path.of(reference.location()), layers);
          case OCI ->
              new OciLayoutReader(oci).read(reference, Path.of(reference.location()), layers);
          case REGISTRY -> registry().pull(reference, layers, tempDir);
          case DOCKER_DAEMON ->
              throw new IllegalArgumentException(reference + " is in the engine, not a file");
        };
    LayeredImage opened = image;
    cleanup.add("the files of " + reference, opened::close);
    open.put(reference.toString(), opened);
    return opened;
  }

  /** The registry client (made on first use). */
  public synchronized Registry registry() {
    if (registry == null) {
      registry = new JibRegistry(registryOptions, json, reporter::debug);
    }
    return registry;
  }

  public ManifestJson json() {
    return json;
  }

  /** Whether a transport is read through here (anything but the engine). */
  public static boolean handles(Transport transport) {
    return transport != Transport.DOCKER_DAEMON;
  }
}
