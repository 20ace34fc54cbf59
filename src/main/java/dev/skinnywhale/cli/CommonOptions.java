package dev.skinnywhale.cli;

import dev.skinnywhale.workflow.run.Run;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command has. */
public final class CommonOptions {
  /** The environment variable that names a run: the label value of what it makes. */
  static final String RUN_ID_ENV = "SKINNYWHALE_RUN_ID";

  @Option(
      names = "--debug",
      description = "Print every step and every kept file (env DEBUG=1 too).")
  boolean debug;

  @Option(names = "--stacktrace", hidden = true, description = "Print stack traces of errors.")
  boolean stacktrace;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  /**
   * The run id from {@code SKINNYWHALE_RUN_ID}: every temporary container and image the run makes
   * is labelled {@code dev.skinnywhale.run=ID}, so concurrent runs on one engine (CI jobs) can each
   * find their own. A malformed id is bad usage.
   */
  Optional<String> runId(CliContext context) {
    Optional<String> id =
        Optional.ofNullable(context.env().get(RUN_ID_ENV)).filter(s -> !s.isEmpty());
    try {
      id.ifPresent(Run::checkRunId);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), RUN_ID_ENV + ": " + e.getMessage());
    }
    return id;
  }
}
