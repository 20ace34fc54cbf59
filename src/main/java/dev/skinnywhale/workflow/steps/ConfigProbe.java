package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.trace.HealthCheck;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ServiceProbe;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The probe of the image's own command: its Entrypoint followed by its Cmd, as {@code docker run
 * IMAGE} runs them (a shell-form command is already {@code /bin/sh -c TEXT} in the config), run as
 * a service that counts as started when it is still running at {@code --config-timeout}, with the
 * config's healthcheck ({@code CMD} and {@code CMD-SHELL} tests; {@code NONE} is none) tried while
 * it runs. The config is the slim image's: the source's with --change applied.
 */
public record ConfigProbe(Run run) {
  /** How the config probe is named in messages, results and saved profiles. */
  public static final String PREFIX = "config ";

  /**
   * @param commandChanged whether --change set the Entrypoint or the Cmd
   * @param asked whether the user asked for it (--run-config), rather than giving no --run
   * @throws UnusableInputException when the config has neither an Entrypoint nor a Cmd, or when the
   *     probe was not asked for and the source is a stopped container whose command was not
   *     changed: that command already ran to its end there, most likely the install that made it
   */
  public ProbeCommand command(
      Source source, Duration startedAfter, boolean commandChanged, boolean asked) {
    JsonNode config = source.imageConfig().path("config");
    List<String> argv = new ArrayList<>();
    strings(config.get("Entrypoint")).forEach(argv::add);
    strings(config.get("Cmd")).forEach(argv::add);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new UnusableInputException(
          source.reference()
              + " has no Entrypoint or Cmd to run as its probe: give --run CMD, or set the"
              + " command with --change 'CMD [\"program\", \"arg\"]'");
    }
    if (source.kind() == Source.Kind.CONTAINER && !commandChanged) {
      checkStopped(source, argv, asked);
    }
    Optional<HealthCheck> health = healthcheck(config.get("Healthcheck"));
    health.ifPresent(h -> run.reporter().debug("healthcheck of the config probe: " + h.text()));
    return ProbeCommand.service(text(argv), argv, new ServiceProbe(startedAfter, health));
  }

  /** {@code config ["a","b"]}: the command as the config holds it. */
  static String text(List<String> argv) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    argv.forEach(a::add);
    return PREFIX + a;
  }

  /**
   * A stopped container has run its command to its end once already: when that command is what made
   * the container (the install of {@code docker run IMAGE apt-get install ...}), running it as the
   * probe, and leaving it as the slim image's command, is not what the user wants.
   */
  private void checkStopped(Source source, List<String> argv, boolean asked) {
    boolean running =
        run.engine().findContainer(source.id()).map(ContainerDetails::running).orElse(false);
    if (running) {
      return;
    }
    String command = text(argv).substring(PREFIX.length());
    if (!asked) {
      throw new UnusableInputException(
          "container "
              + source.reference()
              + " has stopped: its command "
              + command
              + " already ran to its end there (the install that made it, if it was made with"
              + " docker run IMAGE apt-get install ...). Give a smoke command with --run, set the"
              + " slim image's command with --change 'CMD [\"program\", \"arg\"]', or probe that"
              + " command anyway with --run-config");
    }
    run.reporter()
        .warn(
            "container "
                + source.reference()
                + " has stopped: its command "
                + command
                + " ran to its end there once already, and the probe runs it again as the slim"
                + " image's command");
  }

  /** The config's healthcheck, with the engine's defaults for what it leaves out. */
  static Optional<HealthCheck> healthcheck(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    List<String> test = strings(node.get("Test"));
    if (test.isEmpty() || test.get(0).equals("NONE")) {
      return Optional.empty();
    }
    List<String> argv;
    if (test.get(0).equals("CMD") && test.size() > 1) {
      argv = test.subList(1, test.size());
    } else if (test.get(0).equals("CMD-SHELL") && test.size() == 2) {
      argv = List.of("/bin/sh", "-c", test.get(1));
    } else {
      return Optional.empty();
    }
    if (argv.get(0).isEmpty()) {
      return Optional.empty();
    }
    long timeout = node.path("Timeout").asLong(0);
    long startPeriod = node.path("StartPeriod").asLong(0);
    int retries = node.path("Retries").asInt(0);
    return Optional.of(
        new HealthCheck(
            argv,
            timeout > 0 ? Duration.ofNanos(timeout) : HealthCheck.DEFAULT_TIMEOUT,
            Duration.ofNanos(Math.max(0, startPeriod)),
            retries > 0 ? retries : HealthCheck.DEFAULT_RETRIES));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
