package dev.skinnywhale.cli;

import dev.skinnywhale.image.ChangeParser;
import dev.skinnywhale.image.Compression;
import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.ImageTag;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.ImageOptions;
import dev.skinnywhale.workflow.SlimRequest;
import dev.skinnywhale.workflow.run.KeepStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options that shape the slim image, shared by the plain slim, {@code build} and {@code trace}.
 */
public final class SlimOptions {
  @Option(
      names = "--base",
      paramLabel = "IMAGE",
      description =
          "For an image: keep only what differs from this image (plus the closure). Any"
              + " transport, as for the input.")
  String base;

  @Option(
      names = {"-t", "--tag"},
      paramLabel = "TAG",
      description = "Tag of the slim image (default: skinny-<id12>:latest).")
  String tag;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE|TRANSPORT:REF",
      description =
          "Write the image instead of loading it: FILE or docker-archive:FILE[:NAME] (a `docker"
              + " load` archive that is also an OCI layout), oci-archive:FILE[:NAME],"
              + " oci:DIR[:NAME], docker://REGISTRY/NAME[:TAG] (push), docker-daemon:TAG (load).")
  String output;

  @Option(
      names = "--compression",
      paramLabel = "gzip|zstd",
      description =
          "Compression of the layer in archives, OCI layouts and registries (default: gzip)."
              + " zstd needs a newer engine (containerd 1.5+, podman) to pull or load.")
  String compression = "gzip";

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description = "A registry that may be reached over plain HTTP (localhost tests). Repeatable.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(
      names = "--include",
      paramLabel = "GLOB",
      description =
          "Also keep these paths (directories with their contents); wins over the default"
              + " excludes. Repeatable. '*' stays within a directory, '**' crosses them.")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description =
          "Drop these paths (and what is below them), except where a kept file needs one"
              + " as a parent directory or symlink hop. Repeatable.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--no-default-excludes",
      description =
          "Keep package caches, logs and docs of the change set (by default /var/cache/*,"
              + " /var/lib/apt/lists/*, /var/log/*, /usr/share/doc, /usr/share/man,"
              + " /usr/share/info are dropped; --include overrides one of them).")
  boolean noDefaultExcludes;

  @Option(names = "--brute-lib", description = "Keep all of /lib (env BRUTELIB=1 does the same).")
  boolean bruteLib;

  @Option(
      names = "--brute-usr-lib",
      description = "Keep all of /usr/lib (env BRUTEUSRLIB=1 does the same).")
  boolean bruteUsrLib;

  @Option(
      names = "--keep",
      paramLabel = "changes|traced",
      description =
          "changes: the change set plus what was traced or named by profiles (default for"
              + " containers); traced: only what was traced or named by profiles, its closure and"
              + " includes (default for images given --profile or traced).")
  KeepStrategy keep;

  @Option(
      names = {"-c", "--change"},
      paramLabel = "INSTRUCTION",
      description =
          "Apply a Dockerfile instruction to the slim image's config, as docker commit --change"
              + " does: CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL,"
              + " USER, VOLUME, WORKDIR (JSON or shell form). Applied before the keep-plan, so the"
              + " new entrypoint's program, user and working directory are kept. Repeatable.")
  List<String> changes = new ArrayList<>();

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  /** Bad globs and tags are usage errors, found before any work is done. */
  void validate() {
    for (String glob : includes) {
      checkGlob("--include", glob);
    }
    for (String glob : excludes) {
      checkGlob("--exclude", glob);
    }
    if (tag != null) {
      dev.skinnywhale.image.ImageTag.problem(tag)
          .ifPresent(
              p -> {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tag: " + p);
              });
    }
  }

  private void checkGlob(String option, String glob) {
    try {
      if (!glob.startsWith("/")) {
        throw new IllegalArgumentException("wants an absolute path or glob, got: " + glob);
      }
      new dev.skinnywhale.assemble.PathGlob(glob);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private ImageReference outputReference() {
    ImageReference ref;
    try {
      ref = ImageReference.parseOutput(output);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--output: " + e.getMessage());
    }
    if (ref.transport() == Transport.REGISTRY || ref.transport() == Transport.DOCKER_DAEMON) {
      String name = ref.location();
      if (name.contains("@")) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--output: an image is pushed or loaded by tag, not digest: " + name);
      }
      ImageTag.problem(name)
          .ifPresent(
              p -> {
                throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--output: " + p);
              });
    }
    return ref;
  }

  private Compression compression() {
    return switch (compression.toLowerCase(java.util.Locale.ROOT)) {
      case "gzip" -> Compression.GZIP;
      case "zstd" -> Compression.ZSTD;
      default ->
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(), "--compression wants gzip or zstd, got: " + compression);
    };
  }

  SlimRequest toRequest(String target, CliContext context, ProfileOptions profiles) {
    validate();
    for (String input : base == null ? List.of(target) : List.of(target, base)) {
      try {
        ImageReference.parseInput(input);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    List<ConfigChange> parsed;
    try {
      parsed = ChangeParser.parseAll(changes);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return new SlimRequest(
        target,
        Optional.ofNullable(base),
        Optional.ofNullable(tag),
        output == null ? Optional.empty() : Optional.of(outputReference()),
        includes,
        excludes,
        !noDefaultExcludes,
        bruteLib || context.envFlag("BRUTELIB"),
        bruteUsrLib || context.envFlag("BRUTEUSRLIB"),
        profiles.profiles,
        profiles.strict,
        Optional.ofNullable(keep),
        parsed,
        new ImageOptions(compression(), new java.util.HashSet<>(insecureRegistries)));
  }
}
