package dev.skinnywhale.workflow;

import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.run.KeepStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to slim and how.
 *
 * @param target container (id, prefix, name) or image reference, with its transport ({@code
 *     oci-archive:FILE}, {@code docker://...}; a plain name is the engine's)
 * @param base for an image: the image whose files are not part of the change set (any transport)
 * @param tag the slim image's tag; default {@code skinny-<id12>:latest}
 * @param output where the image goes instead of being loaded into the engine: an archive, an OCI
 *     layout or a registry
 * @param includes globs of paths to keep as well (directories with their contents)
 * @param excludes globs of paths to drop (never a parent or symlink hop a kept file needs)
 * @param defaultExcludes whether package caches, logs and docs are dropped from the change set
 * @param bruteLib keep all of /lib
 * @param bruteUsrLib keep all of /usr/lib
 * @param profiles profile names or paths whose entries are kept too ("auto" picks by markers)
 * @param strictProfiles a profile entry missing from the image is an error, not a warning
 * @param keep what to keep; empty means the default (changes for a container, traced for an image
 *     when profiles are given, else changes)
 * @param changes --change instructions for the slim image's config, in order
 * @param io how images are written and registries reached (compression, insecure registries)
 */
public record SlimRequest(
    String target,
    Optional<String> base,
    Optional<String> tag,
    Optional<ImageReference> output,
    List<String> includes,
    List<String> excludes,
    boolean defaultExcludes,
    boolean bruteLib,
    boolean bruteUsrLib,
    List<String> profiles,
    boolean strictProfiles,
    Optional<KeepStrategy> keep,
    List<ConfigChange> changes,
    ImageOptions io) {
  public SlimRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(output, "output");
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    profiles = List.copyOf(profiles);
    Objects.requireNonNull(keep, "keep");
    changes = List.copyOf(changes);
    Objects.requireNonNull(io, "io");
  }

  /** A request whose output, if any, is a docker-archive file; default image options. */
  public SlimRequest(
      String target,
      Optional<String> base,
      Optional<String> tag,
      Optional<Path> output,
      List<String> includes,
      List<String> excludes,
      boolean defaultExcludes,
      boolean bruteLib,
      boolean bruteUsrLib,
      List<String> profiles,
      boolean strictProfiles,
      Optional<KeepStrategy> keep,
      List<ConfigChange> changes) {
    this(
        target,
        base,
        tag,
        output.map(
            p -> new ImageReference(Transport.DOCKER_ARCHIVE, p.toString(), Optional.empty())),
        includes,
        excludes,
        defaultExcludes,
        bruteLib,
        bruteUsrLib,
        profiles,
        strictProfiles,
        keep,
        changes,
        ImageOptions.DEFAULT);
  }

  /** A request without --change, its output, if any, a docker-archive file. */
  public SlimRequest(
      String target,
      Optional<String> base,
      Optional<String> tag,
      Optional<Path> output,
      List<String> includes,
      List<String> excludes,
      boolean defaultExcludes,
      boolean bruteLib,
      boolean bruteUsrLib,
      List<String> profiles,
      boolean strictProfiles,
      Optional<KeepStrategy> keep) {
    this(
        target,
        base,
        tag,
        output,
        includes,
        excludes,
        defaultExcludes,
        bruteLib,
        bruteUsrLib,
        profiles,
        strictProfiles,
        keep,
        List.of());
  }
}
