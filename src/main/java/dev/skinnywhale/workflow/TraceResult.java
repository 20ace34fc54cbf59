package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.steps.Verification;
import java.util.List;

/**
 * What a traced build made.
 *
 * @param slim the image and what went into it
 * @param keep the strategy used
 * @param probes the probe runs in the source, in command order
 * @param verification the verification runs in the slim image (empty with --no-verify)
 * @param tracedPaths how many nodes the probes used (each once)
 */
public record TraceResult(
    SlimResult slim,
    KeepStrategy keep,
    List<ProbeRun> probes,
    List<Verification> verification,
    int tracedPaths) {
  public TraceResult {
    probes = List.copyOf(probes);
    verification = List.copyOf(verification);
  }

  /** Whether every command ran in the slim image as in the source (true when none was run). */
  public boolean verified() {
    return verification.stream().allMatch(Verification::passed);
  }
}
