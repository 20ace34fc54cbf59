package dev.skinnywhale.trace;

import dev.skinnywhale.docker.RunOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How probe containers run.
 *
 * @param network "none" (default), "host" or a network name
 * @param env extra "KEY=VALUE" entries
 * @param user user to run as
 * @param workingDir working directory
 * @param timeout per command; the traced tree is killed at the limit
 * @param run the {@code docker run} options of the probe containers (hosts, tmpfs, mounts, ...)
 */
public record ProbeOptions(
    String network,
    List<String> env,
    Optional<String> user,
    Optional<String> workingDir,
    Duration timeout,
    RunOptions run) {
  public ProbeOptions {
    Objects.requireNonNull(network, "network");
    env = List.copyOf(env);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workingDir, "workingDir");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    Objects.requireNonNull(run, "run");
  }

  /** Probe containers without extra run options. */
  public ProbeOptions(
      String network,
      List<String> env,
      Optional<String> user,
      Optional<String> workingDir,
      Duration timeout) {
    this(network, env, user, workingDir, timeout, RunOptions.NONE);
  }

  /** A copy with other environment entries, user and working directory. */
  public ProbeOptions with(List<String> env, Optional<String> user, Optional<String> workingDir) {
    return new ProbeOptions(network, env, user, workingDir, timeout, run);
  }
}
