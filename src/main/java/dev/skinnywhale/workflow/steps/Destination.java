package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the slim image goes: its tag, and the archive file when it is written instead of loaded.
 * Both are checked before any work is done.
 *
 * @param tag the user's tag (":latest" added when it has none) or {@code skinny-<id12>:latest}
 * @param output the archive file, when one was asked for
 */
public record Destination(String tag, Optional<Path> output) {
  public Destination {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(output, "output");
  }

  /** Fails, before anything else, when the archive could not be written where asked. */
  public static void checkOutput(Optional<Path> output) throws IOException {
    if (output.isEmpty()) {
      return;
    }
    Path dir = output.get().toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    if (Files.isDirectory(output.get())) {
      throw new FileAlreadyExistsException(output.get().toString(), null, "is a directory");
    }
  }

  /**
   * The destination for {@code source}; refuses a tag that would be taken away from the source
   * image itself.
   */
  public static Destination choose(
      DockerEngine engine, Source source, Optional<String> tag, Optional<Path> output) {
    Destination d = new Destination(tagFor(tag, source), output);
    if (output.isEmpty()
        && engine.findImage(d.tag()).filter(i -> i.id().equals(source.imageId())).isPresent()) {
      throw new UnusableInputException(
          "the tag " + d.tag() + " names the source image itself; choose another --tag");
    }
    return d;
  }

  /** {@code skinny-<id12>:latest}, or the user's tag with ":latest" added when it has none. */
  static String tagFor(Optional<String> requested, Source source) {
    String tag = requested.orElse("skinny-" + source.shortId());
    int slash = tag.lastIndexOf('/');
    return tag.indexOf(':', slash + 1) >= 0 ? tag : tag + ":latest";
  }
}
