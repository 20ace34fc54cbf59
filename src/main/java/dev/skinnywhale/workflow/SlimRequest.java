package dev.skinnywhale.workflow;

import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.run.KeepStrategy;
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

  /** A request for {@code target} with every option at its default. */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  /** Collects a request's options; {@link #build()} freezes them. */
  public static final class Builder {
    private final String target;
    private Optional<String> base = Optional.empty();
    private Optional<String> tag = Optional.empty();
    private Optional<ImageReference> output = Optional.empty();
    private List<String> includes = List.of();
    private List<String> excludes = List.of();
    private boolean defaultExcludes = true;
    private boolean bruteLib;
    private boolean bruteUsrLib;
    private List<String> profiles = List.of();
    private boolean strictProfiles;
    private Optional<KeepStrategy> keep = Optional.empty();
    private List<ConfigChange> changes = List.of();
    private ImageOptions io = ImageOptions.DEFAULT;

    private Builder(String target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    public Builder base(Optional<String> base) {
      this.base = base;
      return this;
    }

    public Builder tag(Optional<String> tag) {
      this.tag = tag;
      return this;
    }

    public Builder output(Optional<ImageReference> output) {
      this.output = output;
      return this;
    }

    /** A docker-archive file. */
    public Builder outputFile(java.nio.file.Path file) {
      return output(
          Optional.of(
              new ImageReference(Transport.DOCKER_ARCHIVE, file.toString(), Optional.empty())));
    }

    public Builder includes(List<String> includes) {
      this.includes = List.copyOf(includes);
      return this;
    }

    public Builder excludes(List<String> excludes) {
      this.excludes = List.copyOf(excludes);
      return this;
    }

    public Builder defaultExcludes(boolean defaultExcludes) {
      this.defaultExcludes = defaultExcludes;
      return this;
    }

    public Builder bruteLib(boolean bruteLib) {
      this.bruteLib = bruteLib;
      return this;
    }

    public Builder bruteUsrLib(boolean bruteUsrLib) {
      this.bruteUsrLib = bruteUsrLib;
      return this;
    }

    public Builder profiles(List<String> profiles) {
      this.profiles = List.copyOf(profiles);
      return this;
    }

    public Builder strictProfiles(boolean strictProfiles) {
      this.strictProfiles = strictProfiles;
      return this;
    }

    public Builder keep(Optional<KeepStrategy> keep) {
      this.keep = keep;
      return this;
    }

    public Builder changes(List<ConfigChange> changes) {
      this.changes = List.copyOf(changes);
      return this;
    }

    public Builder io(ImageOptions io) {
      this.io = io;
      return this;
    }

    public SlimRequest build() {
      return new SlimRequest(
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
          changes,
          io);
    }
  }
}
