package dev.skinnywhale.docker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A container to create. Never privileged, no added capabilities, the engine's default seccomp
 * profile unless one is given.
 *
 * @param image image id or reference
 * @param entrypoint replaces the image's entrypoint when present (an empty list clears it)
 * @param cmd replaces the image's command when present
 * @param env extra "KEY=VALUE" entries
 * @param user user to run as, when present
 * @param workingDir working directory, when present
 * @param network "none", "host" or a network name
 * @param labels labels to put on the container (used to find what we made)
 * @param run the {@code docker run} options a probe takes (hosts, tmpfs, mounts, limits, DNS)
 * @param seccompProfile a seccomp profile's JSON text to run under instead of the engine's default
 *     ({@code --security-opt seccomp=FILE})
 */
public record ContainerSpec(
    String image,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    List<String> env,
    Optional<String> user,
    Optional<String> workingDir,
    String network,
    Map<String, String> labels,
    RunOptions run,
    Optional<String> seccompProfile) {
  public ContainerSpec {
    Objects.requireNonNull(image, "image");
    entrypoint = entrypoint.map(List::copyOf);
    cmd = cmd.map(List::copyOf);
    env = List.copyOf(env);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(network, "network");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(seccompProfile, "seccompProfile");
  }

  /** A container without extra run options, under the engine's default seccomp profile. */
  public ContainerSpec(
      String image,
      Optional<List<String>> entrypoint,
      Optional<List<String>> cmd,
      List<String> env,
      Optional<String> user,
      Optional<String> workingDir,
      String network,
      Map<String, String> labels) {
    this(
        image,
        entrypoint,
        cmd,
        env,
        user,
        workingDir,
        network,
        labels,
        RunOptions.NONE,
        Optional.empty());
  }

  /** A container with these run options, under the engine's default seccomp profile. */
  public ContainerSpec(
      String image,
      Optional<List<String>> entrypoint,
      Optional<List<String>> cmd,
      List<String> env,
      Optional<String> user,
      Optional<String> workingDir,
      String network,
      Map<String, String> labels,
      RunOptions run) {
    this(image, entrypoint, cmd, env, user, workingDir, network, labels, run, Optional.empty());
  }

  /** A container without extra run options, under this seccomp profile. */
  public ContainerSpec(
      String image,
      Optional<List<String>> entrypoint,
      Optional<List<String>> cmd,
      List<String> env,
      Optional<String> user,
      Optional<String> workingDir,
      String network,
      Map<String, String> labels,
      Optional<String> seccompProfile) {
    this(
        image,
        entrypoint,
        cmd,
        env,
        user,
        workingDir,
        network,
        labels,
        RunOptions.NONE,
        seccompProfile);
  }

  /** A container that is only created (never started), to read an image's filesystem. */
  public static ContainerSpec forExport(String image, Map<String, String> labels) {
    return new ContainerSpec(
        image,
        Optional.empty(),
        Optional.of(List.of("/nonexistent-skinnywhale-placeholder")),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        "none",
        labels);
  }
}
