package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.steps.Verification;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a traced build made.
 *
 * @param slim the image and what went into it
 * @param keep the strategy used
 * @param probes the probe runs in the source, in command order
 * @param verification the verification runs in the slim image (empty with --no-verify)
 * @param tracedPaths how many nodes the probes used (each once)
 * @param seccomp the seccomp profile, when one was asked for
 */
public record TraceResult(
    SlimResult slim,
    KeepStrategy keep,
    List<ProbeRun> probes,
    List<Verification> verification,
    int tracedPaths,
    Optional<SeccompResult> seccomp) {
  public TraceResult {
    probes = List.copyOf(probes);
    verification = List.copyOf(verification);
    Objects.requireNonNull(seccomp, "seccomp");
  }

  /** Without a seccomp profile. */
  public TraceResult(
      SlimResult slim,
      KeepStrategy keep,
      List<ProbeRun> probes,
      List<Verification> verification,
      int tracedPaths) {
    this(slim, keep, probes, verification, tracedPaths, Optional.empty());
  }

  /** Whether every command ran in the slim image as in the source (true when none was run). */
  public boolean verified() {
    return verification.stream().allMatch(Verification::passed);
  }
}
