package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeRun;
import java.util.List;

/**
 * What a traced build made.
 *
 * @param slim the image and what went into it
 * @param keep the strategy used
 * @param probes the probe runs in the source, in command order
 * @param verification the verification runs in the slim image (empty with --no-verify)
 * @param tracedPaths how many paths the probes contributed
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

  /** One command run again in the slim image. */
  public record Verification(
      String command, String fatOutcome, String slimOutcome, boolean passed, List<String> missing) {
    public Verification {
      missing = List.copyOf(missing);
    }
  }

  public boolean verified() {
    return verification.stream().allMatch(Verification::passed);
  }
}
