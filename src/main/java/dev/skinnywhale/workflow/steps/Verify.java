package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.seccomp.SeccompJson;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallTable;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.Access;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Runs every smoke command again in the slim image and compares how it ends with the source run
 * (independent commands side by side, as {@link Probe} runs them; reported in order). When one does
 * not end the same way, it is traced again there and what the slim image lacks is named: a path the
 * source run used successfully and the slim run failed on. With a seccomp profile every command
 * runs under it; one that fails only under it is traced again (without it, recording its syscalls)
 * and the syscalls the profile refuses are named.
 */
public record Verify(Run run, Prober prober) {

  /** A seccomp profile to verify the commands under, and the table to name syscalls with. */
  public record Seccomp(SeccompPolicy policy, SyscallTable table) {
    public Seccomp {
      java.util.Objects.requireNonNull(policy, "policy");
      java.util.Objects.requireNonNull(table, "table");
    }
  }

  /**
   * Runs every command in the slim image {@code tag}, under {@code seccomp}'s profile when there is
   * one ({@code prober} must record syscalls then).
   *
   * @param probes the source runs, in command order
   * @param kept every path of the slim layer
   */
  public List<Verification> verify(
      String tag,
      List<ProbeCommand> commands,
      List<ProbeRun> probes,
      ProbeOptions options,
      boolean expectTimeout,
      RootFs fs,
      Set<String> kept,
      Optional<Seccomp> seccomp)
      throws IOException {
    List<Slim> early = runSideBySide(tag, commands, options, seccomp.isPresent());
    List<Verification> out = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      ProbeCommand command = commands.get(i);
      ProbeRun fat = probes.get(i);
      Optional<Slim> ran = early.isEmpty() ? Optional.empty() : Optional.of(early.get(i));
      out.add(
          run.steps()
              .run(
                  "verify",
                  "verifying `"
                      + command.text()
                      + "` in "
                      + tag
                      + (seccomp.isPresent() ? " under the seccomp profile" : ""),
                  () -> {
                    Optional<Verification> under =
                        seccomp.isPresent()
                            ? underProfile(tag, command, fat, options, expectTimeout, seccomp.get())
                            : Optional.empty();
                    return under.isPresent()
                        ? under.get()
                        : one(tag, command, fat, options, expectTimeout, fs, kept, ran);
                  }));
    }
    return out;
  }

  /**
   * The verification of a command under the profile: passed, or failed only under it (with the
   * syscalls it refused); empty when the command fails without the profile too, which the plain
   * verification then explains.
   */
  private Optional<Verification> underProfile(
      String tag,
      ProbeCommand command,
      ProbeRun fat,
      ProbeOptions options,
      boolean expectTimeout,
      Seccomp seccomp)
      throws IOException {
    String profile = SeccompJson.write(seccomp.policy());
    String underOutcome;
    try {
      ProbeRun under = prober.plainUnder(tag, command, options, profile);
      if (passed(fat, under, expectTimeout)) {
        return Optional.of(
            new Verification(command.text(), fat.outcome(), under.outcome(), true, List.of()));
      }
      underOutcome = under.outcome();
    } catch (EngineException e) {
      underOutcome = "did not start: " + e.getMessage();
    }
    ProbeRun without;
    try {
      without = prober.plain(tag, command, options);
    } catch (EngineException e) {
      return Optional.empty();
    }
    if (!passed(fat, without, expectTimeout)) {
      return Optional.empty();
    }
    String why =
        "under the seccomp profile: " + underOutcome + " (without it: " + without.outcome() + ")";
    run.reporter().warn("`" + command.text() + "` in " + tag + " " + why);
    ProbeRun traced = prober.trace(tag, command, options);
    List<String> denied =
        traced
            .syscalls()
            .map(s -> List.copyOf(seccomp.policy().refusedIn(s, seccomp.table())))
            .orElse(List.of());
    if (denied.isEmpty()) {
      run.reporter()
          .warn(
              "`"
                  + command.text()
                  + "`: no syscall outside the profile was seen; the container runtime may need"
                  + " one it did not need for `true`");
    }
    denied.forEach(d -> run.reporter().warn("denied by the seccomp profile: " + d));
    return Optional.of(
        new Verification(command.text(), fat.outcome(), why, false, List.of(), denied));
  }

  /** A command's plain run in the slim image: how it ended, or why the engine did not start it. */
  private record Slim(Optional<ProbeRun> run, Optional<EngineException> failure) {
    ProbeRun get() {
      if (failure.isPresent()) {
        throw failure.get();
      }
      return run.orElseThrow();
    }
  }

  /**
   * The plain runs of independent commands ({@link Probe#sideBySide}), made side by side before the
   * commands are verified in order; empty when they run one by one (or under a seccomp profile,
   * where a run depends on the one before).
   */
  private List<Slim> runSideBySide(
      String tag, List<ProbeCommand> commands, ProbeOptions options, boolean underSeccomp)
      throws IOException {
    var parallel = Probe.sideBySide(run, commands, options);
    if (underSeccomp || parallel.limit() == 1 || commands.size() < 2) {
      return List.of();
    }
    List<dev.skinnywhale.workflow.run.Parallel.Task<Slim>> tasks = new ArrayList<>();
    for (ProbeCommand command : commands) {
      tasks.add(
          () -> {
            try {
              return new Slim(Optional.of(prober.plain(tag, command, options)), Optional.empty());
            } catch (EngineException e) {
              return new Slim(Optional.empty(), Optional.of(e));
            }
          });
    }
    return run.steps().timed("verify", () -> parallel.map(tasks, i -> {}));
  }

  private Verification one(
      String tag,
      ProbeCommand command,
      ProbeRun fat,
      ProbeOptions options,
      boolean expectTimeout,
      RootFs fs,
      Set<String> kept,
      Optional<Slim> ran)
      throws IOException {
    ProbeRun slim;
    try {
      slim = ran.isPresent() ? ran.get().get() : prober.plain(tag, command, options);
    } catch (EngineException e) {
      // The engine could not even start it (a user name it cannot look up, a missing entrypoint).
      String why = "did not start: " + e.getMessage();
      run.reporter().warn("`" + command.text() + "` in " + tag + ": " + why);
      return new Verification(command.text(), fat.outcome(), why, false, List.of());
    }
    boolean passed = passed(fat, slim, expectTimeout);
    if (passed) {
      return new Verification(command.text(), fat.outcome(), slim.outcome(), true, List.of());
    }
    run.reporter()
        .warn(
            "`"
                + command.text()
                + "` in "
                + tag
                + ": "
                + slim.outcome()
                + " (source: "
                + fat.outcome()
                + ")");
    List<String> missing = new ArrayList<>();
    if (!prober.ldDebug()) {
      ProbeRun traced = prober.trace(tag, command, options);
      missing.addAll(
          missingPaths(fat.accesses(), traced.accesses(), fs, kept, ignoredRoots(options)));
    }
    missing.forEach(m -> run.reporter().warn("missing in " + tag, "missing in " + tag + ": " + m));
    return new Verification(command.text(), fat.outcome(), slim.outcome(), false, missing);
  }

  /**
   * Whether the slim run ended as the source run did: the same exit code, or for a service (the
   * image's own command) started as in the source — still running at its limit or exit code 0 — and
   * healthy when the source was.
   */
  static boolean passed(ProbeRun fat, ProbeRun slim, boolean expectTimeout) {
    if (fat.command().service().isPresent()) {
      boolean healthy = fat.health().map(h -> h.healthy()).orElse(false);
      return slim.succeeded(true)
          && (!healthy || slim.health().map(h -> h.healthy()).orElse(false));
    }
    return expectTimeout
        ? slim.succeeded(true)
        : !slim.timedOut() && slim.exitCode().equals(fat.exitCode());
  }

  /** The ignored roots, and where the probe containers have mounts: none of it is the image's. */
  static List<String> ignoredRoots(ProbeOptions options) {
    List<String> out = new ArrayList<>(InterpretTraces.IGNORED_ROOTS);
    out.addAll(options.run().mountTargets());
    return out;
  }

  static List<String> missingPaths(AccessSet fat, AccessSet slim, RootFs fs, Set<String> kept) {
    return missingPaths(fat, slim, fs, kept, InterpretTraces.IGNORED_ROOTS);
  }

  /**
   * What the slim image lacks, from the traced slim run: a path it failed on that the source run
   * used successfully is missing itself when the source image has it; when the source run made it
   * (a file or directory created at run time), the directory it was made in is what is missing —
   * the nearest one the source image has and the slim image does not keep.
   */
  static List<String> missingPaths(
      AccessSet fat, AccessSet slim, RootFs fs, Set<String> kept, List<String> ignored) {
    SortedSet<String> fatFound = new TreeSet<>(fat.successfulPaths());
    SortedSet<String> out = new TreeSet<>();
    for (Map.Entry<String, Set<Access>> e : slim.byPath().entrySet()) {
      String path = e.getKey();
      boolean failedInSlim = e.getValue().stream().noneMatch(Access::success);
      if (!failedInSlim
          || !fatFound.contains(path)
          || !path.startsWith("/")
          || TracedPaths.isUnderAny(FsPath.normalize(path), ignored)) {
        continue;
      }
      if (fs.resolve(path).found()) {
        out.add(path);
        continue;
      }
      List<String> ancestors = FsPath.ancestors(FsPath.normalize(path));
      for (int i = ancestors.size() - 1; i >= 1; i--) {
        Resolution dir = fs.resolve(ancestors.get(i));
        if (dir.found()) {
          if (!kept.contains(dir.finalPath())) {
            out.add(dir.finalPath());
          }
          break;
        }
      }
    }
    return List.copyOf(out);
  }
}
