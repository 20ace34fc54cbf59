package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the slim image goes: its tag, and where it is written instead of being loaded (an archive,
 * an OCI layout, a registry). Both are checked before any work is done.
 *
 * @param tag the image's name: the user's tag (":latest" added when it has none), the name given
 *     with the output ({@code oci:DIR:NAME}, {@code docker://REF}, {@code docker-daemon:TAG}), or
 *     {@code skinny-<id12>:latest}
 * @param output where it is written, when not loaded into the engine
 */
public record Destination(String tag, Optional<ImageReference> output) {
  public Destination {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(output, "output");
    if (output.isPresent() && output.get().transport() == Transport.DOCKER_DAEMON) {
      output = Optional.empty();
    }
  }

  /** Whether the image is loaded into the engine. */
  public boolean loads() {
    return output.isEmpty();
  }

  /** Fails, before anything else, when the image could not be written where asked. */
  public static void checkOutput(Optional<ImageReference> output) throws IOException {
    if (output.isEmpty() || !output.get().transport().isLocalFile()) {
      return;
    }
    Path path = Path.of(output.get().location());
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    if (output.get().transport() == Transport.OCI) {
      OutputFile.checkDirectory(path);
    } else {
      OutputFile.check(path);
    }
  }

  /**
   * The destination for {@code source}; refuses a tag that would be taken away from the source
   * image itself.
   */
  public static Destination choose(
      DockerEngine engine, Source source, Optional<String> tag, Optional<ImageReference> output) {
    Optional<String> named = output.flatMap(Destination::nameOf);
    Destination d = new Destination(tagFor(named.isPresent() ? named : tag, source), output);
    if (d.loads()
        && engine.findImage(d.tag()).filter(i -> i.id().equals(source.imageId())).isPresent()) {
      throw new UnusableInputException(
          "the tag " + d.tag() + " names the source image itself; choose another --tag");
    }
    return d;
  }

  /** The image name an output reference carries itself. */
  private static Optional<String> nameOf(ImageReference output) {
    return switch (output.transport()) {
      case REGISTRY, DOCKER_DAEMON -> Optional.of(output.location());
      default -> output.name();
    };
  }

  /** {@code skinny-<id12>:latest}, or the user's tag with ":latest" added when it has none. */
  static String tagFor(Optional<String> requested, Source source) {
    String tag = requested.orElse("skinny-" + source.shortId());
    int slash = tag.lastIndexOf('/');
    return tag.indexOf(':', slash + 1) >= 0 || tag.contains("@") ? tag : tag + ":latest";
  }
}
