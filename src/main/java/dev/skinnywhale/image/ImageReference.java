package dev.skinnywhale.image;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed image reference with its transport, in the syntax skopeo and podman use:
 *
 * <pre>
 *   docker-daemon:REF            the engine (a plain name as input means this)
 *   docker-archive:FILE[:REF]    what docker save writes (a plain path as output means this)
 *   oci-archive:FILE[:REF]       an OCI layout in a tar file
 *   oci:DIR[:REF]                an OCI image layout directory
 *   docker://HOST[:PORT]/NAME[:TAG|@DIGEST]   a registry
 * </pre>
 *
 * As in skopeo, a FILE or DIR ends at the first ':' after the transport; what follows names one
 * image inside (a RepoTag of a docker-archive, an {@code org.opencontainers.image.ref.name} of an
 * OCI layout).
 *
 * @param transport where the image lives
 * @param location the engine reference, the file or directory, or the registry reference
 * @param name the image inside a file or directory, when one was named
 */
public record ImageReference(Transport transport, String location, Optional<String> name) {
  public ImageReference {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(name, "name");
    if (location.isEmpty()) {
      throw new IllegalArgumentException(transport.prefix() + ": names nothing");
    }
    if (name.isPresent() && name.get().isEmpty()) {
      name = Optional.empty();
    }
  }

  /**
   * An input: a transport-prefixed reference, or else a container or image of the engine. The
   * reference of the engine or a registry must follow its grammar ({@link ReferenceGrammar}).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static ImageReference parseInput(String text) {
    ImageReference ref = parse(text).orElseGet(() -> daemon(text));
    java.util.Optional<String> problem =
        switch (ref.transport()) {
          case DOCKER_DAEMON -> ReferenceGrammar.engineInputProblem(ref.location());
          case REGISTRY ->
              ReferenceGrammar.referenceProblem(ref.location()).map(p -> "docker://: " + p);
          default -> java.util.Optional.empty();
        };
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return ref;
  }

  /** An output (-o): a transport-prefixed reference, or else a docker-archive file. */
  public static ImageReference parseOutput(String text) {
    return parse(text)
        .orElseGet(() -> new ImageReference(Transport.DOCKER_ARCHIVE, text, Optional.empty()));
  }

  public static ImageReference daemon(String ref) {
    return new ImageReference(Transport.DOCKER_DAEMON, ref, Optional.empty());
  }

  private static Optional<ImageReference> parse(String text) {
    if (text.startsWith("docker://")) {
      return Optional.of(
          new ImageReference(
              Transport.REGISTRY, text.substring("docker://".length()), Optional.empty()));
    }
    for (Transport t :
        new Transport[] {
          Transport.DOCKER_ARCHIVE, Transport.OCI_ARCHIVE, Transport.OCI, Transport.DOCKER_DAEMON
        }) {
      String prefix = t.prefix() + ":";
      if (text.startsWith(prefix)) {
        String rest = text.substring(prefix.length());
        if (t == Transport.DOCKER_DAEMON) {
          return Optional.of(daemon(rest));
        }
        int colon = rest.indexOf(':');
        return Optional.of(
            colon < 0
                ? new ImageReference(t, rest, Optional.empty())
                : new ImageReference(
                    t, rest.substring(0, colon), Optional.of(rest.substring(colon + 1))));
      }
    }
    return Optional.empty();
  }

  /** The file or directory of a local transport, resolved against {@code workDir}. */
  public Path path(Path workDir) {
    if (!transport.isLocalFile()) {
      throw new IllegalStateException(this + " is not a file");
    }
    return workDir.resolve(location);
  }

  /** As the user would write it. */
  @Override
  public String toString() {
    return switch (transport) {
      case REGISTRY -> "docker://" + location;
      case DOCKER_DAEMON -> location;
      default -> transport.prefix() + ":" + location + name.map(n -> ":" + n).orElse("");
    };
  }
}
