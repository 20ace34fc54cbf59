package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.SaveProfile;
import java.nio.file.Path;
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
    Optional<Path> seccompProfile) {
  public TraceRequest {
    Objects.requireNonNull(slim, "slim");
    commands = List.copyOf(commands);
    Objects.requireNonNull(runFile, "runFile");
    Objects.requireNonNull(saveProfile, "saveProfile");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(seccompProfile, "seccompProfile");
  }

  /** Without a seccomp profile. */
  public TraceRequest(
      SlimRequest slim,
      List<String> commands,
      Optional<PrepareCommands.RunFile> runFile,
      ProbeOptions probe,
      boolean expectTimeout,
      boolean verify,
      boolean forceLdDebug,
      Optional<SaveProfile.Target> saveProfile) {
    this(
        slim,
        commands,
        runFile,
        probe,
        expectTimeout,
        verify,
        forceLdDebug,
        saveProfile,
        Optional.empty());
  }
}
