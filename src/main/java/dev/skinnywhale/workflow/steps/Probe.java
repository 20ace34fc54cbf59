package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each smoke command in its own probe container under the tracer (or LD_DEBUG), in order. A
 * command that does not succeed in the source ends the build before anything is made.
 */
public record Probe(Run run, Prober prober) {

  /**
   * @param target what the user named, for messages
   * @param image the image the probe containers are made from
   */
  public List<ProbeRun> probe(
      String target,
      String image,
      List<ProbeCommand> commands,
      ProbeOptions options,
      boolean expectTimeout)
      throws IOException {
    List<ProbeRun> probes = new ArrayList<>();
    for (ProbeCommand command : commands) {
      ProbeRun probe =
          run.steps()
              .run(
                  "probe",
                  "probing `" + command.text() + "`",
                  () -> prober.trace(image, command, options));
      probe.notes().forEach(run.reporter()::warn);
      if (!probe.succeeded(expectTimeout)) {
        throw new ProbeFailedException(
            "`"
                + command.text()
                + "` failed in "
                + target
                + " ("
                + probe.outcome()
                + "); nothing was built. Its output ends with: "
                + lastLine(probe.output()));
      }
      run.reporter()
          .debug(
              "`"
                  + command.text()
                  + "`: "
                  + probe.outcome()
                  + ", "
                  + probe.accesses().paths().size()
                  + " paths");
      probes.add(probe);
    }
    return probes;
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
