package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.ProbeRunner;
import dev.skinnywhale.trace.ServiceProbe;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.TracedPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * Interprets what the probes did, once, into {@link TracedPaths}: the keep-plan and a saved profile
 * both read this result.
 */
public final class InterpretTraces {
  /** Paths the probe used that are never taken: the kernel's, the devices, and the tracer's own. */
  public static final List<String> IGNORED_ROOTS =
      List.of("/proc", "/sys", "/dev", ProbeRunner.PROBE_DIR);

  private InterpretTraces() {}

  /**
   * @param imagePath the image's PATH
   */
  public static TracedPaths interpret(
      RootFs fs, List<ProbeCommand> commands, List<ProbeRun> probes, List<String> imagePath) {
    return interpret(fs, commands, probes, imagePath, List.of());
  }

  /**
   * @param mounted where the probe containers had mounts (--tmpfs, -v, --mount), as given and as
   *     the image resolves them: what was used there is not the image's, and never counts
   */
  public static TracedPaths interpret(
      RootFs fs,
      List<ProbeCommand> commands,
      List<ProbeRun> probes,
      List<String> imagePath,
      List<String> mounted) {
    List<AccessSet> accesses = probes.stream().map(ProbeRun::accesses).toList();
    List<String> ignored = new ArrayList<>(IGNORED_ROOTS);
    ignored.addAll(mounted);
    return TracedPaths.resolve(fs, accesses, programs(commands), imagePath, ignored);
  }

  /**
   * What each probe started that no trace may show: the program as the command names it (the shell,
   * or argv[0]: LD_DEBUG does not see exec at all; a --run-file script itself is not in the image),
   * and a script's interpreter, which the kernel opens inside execve ({@code #!/usr/bin/env NAME}
   * means env and NAME).
   */
  static List<String> programs(List<ProbeCommand> commands) {
    List<String> out = new ArrayList<>();
    for (ProbeCommand command : commands) {
      out.add(command.argv().get(0));
      command.script().ifPresent(script -> out.addAll(interpreter(script)));
      command
          .service()
          .flatMap(ServiceProbe::health)
          .ifPresent(health -> out.add(health.argv().get(0)));
    }
    return out;
  }

  private static List<String> interpreter(ProbeCommand.Script script) {
    if (!script.hasShebang()) {
      return List.of();
    }
    String line = script.content().lines().findFirst().orElse("").substring(2).strip();
    List<String> words = List.of(line.split("[ \t]+"));
    if (words.isEmpty() || words.get(0).isEmpty()) {
      return List.of();
    }
    List<String> programs = new ArrayList<>();
    programs.add(words.get(0));
    if (FsPath.name(words.get(0)).equals("env")) {
      words.stream().skip(1).filter(w -> !w.startsWith("-")).findFirst().ifPresent(programs::add);
    }
    return programs;
  }
}
