package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.TracerStatus;
import dev.skinnywhale.workflow.run.Parallel;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs each smoke command in its own probe container under the tracer (or LD_DEBUG): side by side
 * when they are independent ({@link #sideBySide}), with the results, the messages and the first
 * failure of a run in order. A command that does not succeed in the source ends the build before
 * anything is made; so does the image's own command (the config probe) when it exits non-zero
 * before --config-timeout or its healthcheck does not pass.
 */
public record Probe(Run run, Prober prober) {
  /** What a failed probe of the image's own command adds to its message. */
  static final String CONFIG_HINT =
      ". This probe is the image's own command (its Entrypoint and Cmd, and its healthcheck):"
          + " when that is not what the slim image should run — a container made with `docker run"
          + " IMAGE apt-get install ...` keeps the install as its Cmd — set the command with"
          + " --change 'CMD [\"program\", \"arg\"]' (or drop the healthcheck with --change"
          + " 'HEALTHCHECK NONE'), or probe with --run";

  /**
   * Runs {@code commands} (timed as the {@code probe} phase) and {@link #check checks} them.
   *
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
    List<ProbeRun> ran =
        run.steps().timed("probe", () -> run(image, commands, options, expectTimeout));
    return check(target, commands, ran, expectTimeout);
  }

  /**
   * Runs {@code commands}, side by side when they are independent, saying each as it starts and
   * timing nothing (so it can run beside another step): the runs in order, ending with the first
   * that did not succeed.
   */
  public List<ProbeRun> run(
      String image, List<ProbeCommand> commands, ProbeOptions options, boolean expectTimeout)
      throws IOException {
    List<Parallel.Task<ProbeRun>> tasks = new ArrayList<>();
    for (ProbeCommand command : commands) {
      tasks.add(() -> prober.trace(image, command, options));
    }
    return sideBySide(run, commands, options)
        .map(
            tasks,
            i -> run.steps().say("probing `" + commands.get(i).text() + "`"),
            p -> !p.succeeded(expectTimeout));
  }

  /**
   * The runs {@link #run} gave for {@code commands}, once each run's notes are warned about: a
   * command that did not succeed in the source ends the build before anything is made.
   */
  public List<ProbeRun> check(
      String target, List<ProbeCommand> commands, List<ProbeRun> ran, boolean expectTimeout) {
    List<ProbeRun> probes = new ArrayList<>();
    for (int i = 0; i < ran.size(); i++) {
      ProbeCommand command = commands.get(i);
      ProbeRun probe = ran.get(i);
      probe.notes().forEach(run.reporter()::warn);
      Optional<String> missing = probe.succeeded(expectTimeout) ? Optional.empty() : missing(probe);
      if (missing.isPresent()) {
        throw new ProbeFailedException(
            missing.get()
                + ": not found in the image (`"
                + command.text()
                + "` exited 127 in "
                + target
                + "); nothing was built. Keep the program in the image, or name one it has");
      }
      if (!probe.succeeded(expectTimeout)) {
        throw new ProbeFailedException(
            "`"
                + command.text()
                + "` failed in "
                + target
                + " ("
                + probe.outcome()
                + "); nothing was built. Its output ends with: "
                + lastLine(
                    probe
                        .health()
                        .map(h -> h.output())
                        .filter(o -> !o.isBlank())
                        .orElse(probe.output()))
                + (command.service().isPresent() ? CONFIG_HINT : ""));
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

  /** A shell's "NAME: not found" (dash, BusyBox) or "NAME: command not found" (bash). */
  private static final Pattern SHELL_NOT_FOUND =
      Pattern.compile("([^\\s:]+): (?:command )?not found\\s*$");

  /**
   * The program a run that exited 127 could not find: the one the tracer's own PATH search or exec
   * did not find, else the one the shell names in its last line of output. Empty for any other
   * ending, and for a 127 that names no program (then it is the program's own exit code).
   */
  static Optional<String> missing(ProbeRun probe) {
    if (probe.timedOut() || !probe.exitCode().equals(Optional.of(TracerStatus.EXIT_NOT_FOUND))) {
      return Optional.empty();
    }
    if (probe.tracerStatus().orElse(null) instanceof TracerStatus.Failed f && f.programNotFound()) {
      return f.subject();
    }
    Matcher m = SHELL_NOT_FOUND.matcher(lastLine(probe.output()));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The most of a probe's last line an error message quotes (its end). */
  static final int MAX_QUOTED = 400;

  /**
   * How many of {@code commands} may run at once: side by side when no container can see what
   * another does — network none (a shared network has shared ports; on the host's, two servers
   * would fight for one), no writable bind mount or named volume, no service (the image's own
   * command is timed and health-checked) — otherwise one after the other.
   */
  static Parallel sideBySide(Run run, List<ProbeCommand> commands, ProbeOptions options) {
    boolean shared =
        options.run().mounts().stream()
            .anyMatch(
                m ->
                    !m.readOnly()
                        && m.type() != RunOptions.MountType.TMPFS
                        && (m.type() == RunOptions.MountType.BIND || m.source().isPresent()));
    boolean service = commands.stream().anyMatch(c -> c.service().isPresent());
    return !options.network().equals("none") || shared || service
        ? new Parallel(1)
        : run.parallel();
  }

  static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    if (lines.isEmpty()) {
      return "(no output)";
    }
    String last = lines.get(lines.size() - 1);
    return last.length() <= MAX_QUOTED ? last : "..." + last.substring(last.length() - MAX_QUOTED);
  }
}
