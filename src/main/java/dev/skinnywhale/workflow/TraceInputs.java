package dev.skinnywhale.workflow;

import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.workflow.keep.ScriptClosureContributor;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;

/** What a trace checks and decides of its input before it probes anything. */
final class TraceInputs {
  private TraceInputs() {}

  /**
   * Whether the script closure reads the config's own command: not for a stopped container whose
   * command --change did not set, as for the config probe — it ran to its end there, most likely
   * the install that made the container ({@code docker run IMAGE sh -c 'apt-get install ...'}).
   */
  static boolean readsConfigCommand(
      DockerEngine engine, Source source, List<ConfigChange> changes) {
    if (source.kind() != Source.Kind.CONTAINER
        || !ScriptClosureContributor.hasCommandScript(source.imageConfig().path("config"))
        || changes.stream()
            .anyMatch(c -> c instanceof ConfigChange.Cmd || c instanceof ConfigChange.Entrypoint)) {
      return true;
    }
    return engine.findContainer(source.id()).map(ContainerDetails::running).orElse(false);
  }

  /** Whether --change set the command the config probe runs. */
  static boolean commandChanged(Source before, Source after) {
    var was = before.imageConfig().path("config");
    var now = after.imageConfig().path("config");
    return !was.path("Entrypoint").equals(now.path("Entrypoint"))
        || !was.path("Cmd").equals(now.path("Cmd"));
  }

  /** A named volume must exist: the engine would make an empty one, which nobody removes. */
  static void checkVolumes(DockerEngine engine, RunOptions options) {
    for (RunOptions.Mount m : options.mounts()) {
      if (m.type() == RunOptions.MountType.VOLUME
          && m.source().isPresent()
          && !engine.volumeExists(m.source().get())) {
        throw new UnusableInputException(
            "no volume named "
                + m.source().get()
                + " (skinnywhale does not make volumes; create it with docker volume create)");
      }
    }
  }
}
