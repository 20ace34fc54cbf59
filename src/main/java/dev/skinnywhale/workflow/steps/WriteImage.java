package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.image.BuiltImage;
import dev.skinnywhale.image.Compression;
import dev.skinnywhale.image.ImageArchiveWriter;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.Layer;
import dev.skinnywhale.image.OciLayoutWriter;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.TempFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the slim image outside the engine: a hybrid docker-archive (also an OCI layout), an
 * oci-archive, an OCI layout directory, or a push to a registry. Files are written beside their
 * destination and moved into place, so a failure (or Ctrl-C) leaves nothing half-written.
 */
public record WriteImage(Run run) {

  /** Returns the manifest digest of what was written. */
  public String write(
      ObjectNode config, Layer layer, ImageReference output, String name, Compression compression)
      throws IOException {
    try (BuiltImage image =
        run.steps()
            .run(
                "assemble",
                "compressing the layer ("
                    + compression.name().toLowerCase(java.util.Locale.ROOT)
                    + ")",
                () ->
                    BuiltImage.of(
                        run.images().json(), config, layer, compression, run.tempDir()))) {
      run.steps()
          .run(
              output.transport() == Transport.REGISTRY ? "push" : "assemble",
              (output.transport() == Transport.REGISTRY ? "pushing " : "writing ") + output,
              () -> {
                writeTo(image, output, name);
                return null;
              });
      return image.manifestDigest();
    }
  }

  private void writeTo(BuiltImage image, ImageReference output, String name) throws IOException {
    switch (output.transport()) {
      case DOCKER_ARCHIVE, OCI_ARCHIVE ->
          archive(
              image,
              Path.of(output.location()),
              name,
              output.transport() == Transport.DOCKER_ARCHIVE);
      case OCI -> layout(image, Path.of(output.location()), name);
      case REGISTRY -> run.images().registry().push(output, image);
      case DOCKER_DAEMON -> throw new IllegalArgumentException("the engine is not written here");
    }
  }

  private void archive(BuiltImage image, Path destination, String name, boolean docker)
      throws IOException {
    OutputFile.write(
        destination,
        run.cleanup(),
        out -> new ImageArchiveWriter(run.images().json()).write(out, image, name, docker));
  }

  private void layout(BuiltImage image, Path destination, String name) throws IOException {
    Path dest = destination.toAbsolutePath();
    Path staging = Files.createTempDirectory(dest.getParent(), ".skinnywhale-");
    try {
      Files.setPosixFilePermissions(
          staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: keep its default
    }
    Runnable removeStaging =
        run.cleanup()
            .add("partial directory " + staging, () -> TempFiles.deleteRecursively(staging));
    try {
      new OciLayoutWriter(run.images().json()).write(image, dest, name, staging);
    } finally {
      removeStaging.run();
    }
  }
}
