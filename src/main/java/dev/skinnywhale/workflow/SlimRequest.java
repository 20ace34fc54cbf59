package dev.skinnywhale.workflow;

import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.workflow.run.KeepStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to slim and how.
 *
 * @param target container (id, prefix, name) or image reference
 * @param base for an image: the image whose files are not part of the change set
 * @param tag the slim image's tag; default {@code skinny-<id12>:latest}
 * @param output write the {@code docker load} archive here instead of loading it
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
 */
public record SlimRequest(
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
  }
}
