package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.SaveProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A traced build.
 *
 * @param slim target, tag, output, includes, excludes and switches as for a plain slim
 * @param commands the smoke commands, in order (from --run)
 * @param runFile a script run after them (--run-file): its file name and its bytes as ISO-8859-1
 *     chars
 * @param probe how probe containers run
 * @param expectTimeout a command killed at the time limit counts as success (services)
 * @param verify run the commands again in the slim image and compare
 * @param forceLdDebug use LD_DEBUG instead of the ptrace tracer
 * @param saveProfile where to save what the probes found as a profile, and its name
 * @param runConfig also probe the image's own command (Entrypoint + Cmd, and its healthcheck); it
 *     is the only probe when no command and no run file are given
 * @param configTimeout how long the image's own command runs: still running then is a service that
 *     started
 * @param seccompProfile where to write the seccomp profile of the commands (--seccomp-profile):
 *     their syscalls are recorded, and they are verified under it
 */
public record TraceRequest(
    SlimRequest slim,
    List<String> commands,
    Optional<PrepareCommands.RunFile> runFile,
    ProbeOptions probe,
    boolean expectTimeout,
    boolean verify,
    boolean forceLdDebug,
    Optional<SaveProfile.Target> saveProfile,
    boolean runConfig,
    Duration configTimeout,
    Optional<Path> seccompProfile) {
  /** The default --config-timeout. */
  public static final Duration DEFAULT_CONFIG_TIMEOUT = Duration.ofSeconds(10);

  public TraceRequest {
    Objects.requireNonNull(slim, "slim");
    commands = List.copyOf(commands);
    Objects.requireNonNull(runFile, "runFile");
    Objects.requireNonNull(saveProfile, "saveProfile");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(configTimeout, "configTimeout");
    if (configTimeout.isNegative() || configTimeout.isZero()) {
      throw new IllegalArgumentException("configTimeout must be positive");
    }
    Objects.requireNonNull(seccompProfile, "seccompProfile");
  }

  /** Whether the image's own command is probed: asked for, or nothing else given. */
  public boolean probesConfig() {
    return runConfig || (commands.isEmpty() && runFile.isEmpty());
  }
}
