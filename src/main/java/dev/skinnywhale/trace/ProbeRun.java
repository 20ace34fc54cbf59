package dev.skinnywhale.trace;

import dev.skinnywhale.seccomp.SyscallSummary;
import dev.skinnywhale.tracelog.AccessSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one command in one probe container.
 *
 * @param command what ran
 * @param exitCode the command's exit code; empty when it timed out or the tracer failed
 * @param timedOut whether it was killed at the time limit
 * @param output its stdout and stderr
 * @param tracer how it was traced
 * @param accesses the paths it used (empty for an untraced run)
 * @param notes what the user should know (a tracer failure, a fallback)
 * @param tracerStatus what the ptrace tracer's status file said, when the tracer ran (for a run
 *     that fell back to LD_DEBUG, the failed ptrace run's)
 * @param health how the healthcheck went, for a service probe that has one and ran long enough
 * @param syscalls the tracer's {@code --syscalls} summary, when the run recorded one
 */
public record ProbeRun(
    ProbeCommand command,
    Optional<Integer> exitCode,
    boolean timedOut,
    String output,
    TracerKind tracer,
    AccessSet accesses,
    List<String> notes,
    Optional<TracerStatus> tracerStatus,
    Optional<HealthOutcome> health,
    Optional<SyscallSummary> syscalls) {
  public ProbeRun {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(tracer, "tracer");
    Objects.requireNonNull(accesses, "accesses");
    notes = List.copyOf(notes);
    Objects.requireNonNull(tracerStatus, "tracerStatus");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(syscalls, "syscalls");
  }

  /** A run without a healthcheck that recorded no syscall summary. */
  public ProbeRun(
      ProbeCommand command,
      Optional<Integer> exitCode,
      boolean timedOut,
      String output,
      TracerKind tracer,
      AccessSet accesses,
      List<String> notes,
      Optional<TracerStatus> tracerStatus) {
    this(
        command,
        exitCode,
        timedOut,
        output,
        tracer,
        accesses,
        notes,
        tracerStatus,
        Optional.empty(),
        Optional.empty());
  }

  /** A copy with one more note. */
  public ProbeRun withNote(String note) {
    List<String> more = new java.util.ArrayList<>(notes);
    more.add(note);
    return new ProbeRun(
        command,
        exitCode,
        timedOut,
        output,
        tracer,
        accesses,
        more,
        tracerStatus,
        health,
        syscalls);
  }

  /** A copy with the healthcheck's outcome and the accesses of its tries added. */
  public ProbeRun withHealth(HealthOutcome outcome, AccessSet healthAccesses) {
    return new ProbeRun(
        command,
        exitCode,
        timedOut,
        output,
        tracer,
        accesses.merge(healthAccesses),
        notes,
        tracerStatus,
        Optional.of(outcome),
        syscalls);
  }

  /** A run the ptrace tracer had no part in. */
  public ProbeRun(
      ProbeCommand command,
      Optional<Integer> exitCode,
      boolean timedOut,
      String output,
      TracerKind tracer,
      AccessSet accesses,
      List<String> notes) {
    this(command, exitCode, timedOut, output, tracer, accesses, notes, Optional.empty());
  }

  /**
   * Whether the run ended as wanted: exit code 0, or killed at the limit when that is expected. A
   * service probe (the image's own command) expects it, and a healthy healthcheck when it has one.
   */
  public boolean succeeded(boolean expectTimeout) {
    if (command.service().isPresent()) {
      return (timedOut || exitCode.equals(Optional.of(0)))
          && health.map(HealthOutcome::healthy).orElse(true);
    }
    return expectTimeout
        ? timedOut || exitCode.equals(Optional.of(0))
        : exitCode.equals(Optional.of(0));
  }

  /** A short description of how it ended. */
  public String outcome() {
    String how;
    if (timedOut && command.service().isPresent()) {
      how =
          "still running after "
              + command.service().get().startedAfter().toSeconds()
              + " s (a service that started), stopped";
    } else if (timedOut) {
      how = "killed at the time limit";
    } else {
      how = exitCode.map(c -> "exit code " + c).orElse("no exit code (the tracer failed)");
    }
    return health.map(h -> how + "; " + h.text()).orElse(how);
  }
}
