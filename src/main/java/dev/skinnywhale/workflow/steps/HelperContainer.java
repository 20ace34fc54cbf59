package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.workflow.run.Run;

/** How the helper container is created: in the host's network namespace where the engine allows. */
final class HelperContainer {
  private HelperContainer() {}

  /**
   * The helper of {@code spec} created in the host's network namespace: it only ever runs the
   * tracer (wait, index, serve, tar), which sends nothing, and a start without a network namespace
   * of its own takes half the time (measured: 91 ms against 186 ms with network {@code none},
   * 2-core machine). The entries the engine mounts for the network ({@code /etc/hosts}, ...) are
   * read from the created containers ({@link MountPoints}), whose network stays {@code none}. An
   * engine that refuses the host's network (Docker with user namespaces remapped answers 400) gets
   * {@code spec} as it is; an engine that is gone or a run that is cancelled ends here.
   */
  static String create(Run run, ContainerSpec spec) {
    try {
      return run.engine().createContainer(onHostNetwork(spec));
    } catch (EngineException e) {
      if (e.is(EngineException.Kind.INTERRUPTED) || e.is(EngineException.Kind.UNAVAILABLE)) {
        throw e;
      }
      run.cancellation().check();
      run.reporter()
          .debug("the helper cannot have the host's network (" + e.getMessage() + "): none");
      return run.engine().createContainer(spec);
    }
  }

  /** {@code spec} with network {@code host}. */
  static ContainerSpec onHostNetwork(ContainerSpec spec) {
    return new ContainerSpec(
        spec.image(),
        spec.entrypoint(),
        spec.cmd(),
        spec.env(),
        spec.user(),
        spec.workingDir(),
        "host",
        spec.labels(),
        spec.run(),
        spec.seccompProfile());
  }
}
