package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.ClosureResolver;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.ProbeRunner;
import dev.skinnywhale.trace.TracerBinary;
import dev.skinnywhale.trace.TracerKind;
import dev.skinnywhale.tracelog.Access;
import dev.skinnywhale.tracelog.AccessKind;
import dev.skinnywhale.tracelog.AccessSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code skinnywhale trace --run CMD <container|image>}: runs the smoke commands in throw-away
 * probe containers under the tracer, adds what they used (with symlink hops, parents and the static
 * closure of every traced ELF file) to the keep-plan, builds the image, and verifies that the
 * commands exit in the slim image as they did in the source.
 *
 * <p>Steps: find the source → commit a container to a temporary image → read the filesystem → probe
 * each command → keep-plan → closure → layer → load → verify. The user's container and image are
 * never changed; the temporary image and every probe container are removed, also on failure.
 */
public final class TraceWorkflow {
  /** Paths the probe used that are never taken: the kernel's, the devices, and the tracer's own. */
  static final List<String> IGNORED_ROOTS = List.of("/proc", "/sys", "/dev", ProbeRunner.PROBE_DIR);

  private final DockerEngine engine;
  private final Reporter reporter;
  private final Clock clock;

  private final ProfileStore profiles;

  public TraceWorkflow(DockerEngine engine, Reporter reporter, Clock clock, ProfileStore profiles) {
    this.engine = engine;
    this.reporter = reporter;
    this.clock = clock;
    this.profiles = profiles;
  }

  public TraceResult run(TraceRequest request) throws IOException {
    SlimRequest slim = request.slim();
    if (request.commands().isEmpty() && request.runFile().isEmpty()) {
      throw new UnusableInputException("give at least one command with --run or --run-file");
    }
    SlimWorkflow.checkOutput(slim.output());
    Phases phases = new Phases(clock, reporter);
    try (Cleanup cleanup = new Cleanup(reporter);
        ShutdownGuard guard = ShutdownGuard.install(cleanup)) {
      Path tempDir = TempFiles.createDirectory(cleanup);
      SourceReader reader = new SourceReader(engine, reporter, tempDir);
      Source source = SlimWorkflow.findSource(engine, reader, slim, phases);
      if (!engine.networkExists(request.probe().network())) {
        throw new UnusableInputException(
            "--network " + request.probe().network() + ": no such network");
      }
      if (request.forceLdDebug()) {
        reporter.warn(
            "--ld-debug sees the libraries programs load, not the data files they open: keep those"
                + " with --include or a profile");
      }
      KeepStrategy keep =
          slim.keep()
              .orElse(
                  source.kind() == Source.Kind.CONTAINER
                      ? KeepStrategy.CHANGES
                      : KeepStrategy.TRACED);
      String tag = SlimWorkflow.tagFor(slim.tag(), source);
      SlimWorkflow.checkTag(engine, tag, source, slim.output());
      byte[] tracer =
          request.forceLdDebug()
              ? new byte[0]
              : TracerBinary.forArchitecture(source.architecture())
                  .orElseThrow(
                      () ->
                          new UnusableInputException(
                              "no tracer for architecture "
                                  + source.architecture()
                                  + " in this build; use --ld-debug"));

      String probeImage =
          phases.run("commit", "preparing the probe image", () -> probeImage(source, cleanup));
      try (RootFs fs =
          phases.run(
              "export",
              "reading the filesystem of " + slim.target(),
              () -> reader.filesystem(source, cleanup))) {
        List<ProbeCommand> commands = commands(request.commands(), request.runFile(), fs);
        ProbeRunner runner =
            new ProbeRunner(engine, cleanup, tempDir, Map.of(SourceReader.TEMP_LABEL, "probe"));

        List<ProbeRun> probes = new ArrayList<>();
        for (ProbeCommand command : commands) {
          ProbeRun run =
              phases.run(
                  "probe",
                  "probing `" + command.text() + "`",
                  () -> probe(runner, probeImage, command, request, tracer));
          run.notes().forEach(reporter::warn);
          if (!run.succeeded(request.expectTimeout())) {
            throw new ProbeFailedException(
                "`"
                    + command.text()
                    + "` failed in "
                    + slim.target()
                    + " ("
                    + run.outcome()
                    + "); nothing was built. Its output ends with: "
                    + lastLine(run.output()));
          }
          reporter.debug(
              "`"
                  + command.text()
                  + "`: "
                  + run.outcome()
                  + ", "
                  + run.accesses().paths().size()
                  + " paths");
          probes.add(run);
        }

        KeepPlan.Builder plan = KeepPlan.builder();
        int changeSetSize = 0;
        if (keep == KeepStrategy.CHANGES) {
          SortedSet<String> changes =
              phases.run(
                  "export",
                  "taking the change set",
                  () -> SlimWorkflow.changeSet(slim, source, fs, reader, cleanup));
          SortedSet<String> kept = SlimWorkflow.filterDefaults(changes, slim, fs);
          kept.forEach(p -> plan.add(p, Reason.CHANGE_SET));
          changeSetSize = kept.size();
        }
        int traced = 0;
        List<String> imagePath = dev.skinnywhale.linker.LinkerEnv.fromImageEnv(source.env()).path();
        for (ProbeRun run : probes) {
          traced += addTraced(plan, fs, run.accesses(), imagePath);
        }
        for (ProbeCommand command : commands) {
          // The program each probe started (the shell, or argv[0]) as the command names it: the
          // slim image runs the command the same way. LD_DEBUG does not see exec at all.
          if (command.script().isEmpty()) {
            traced += addProgram(plan, fs, command.argv().get(0), imagePath);
          }
          command.script().ifPresent(script -> addInterpreter(plan, fs, script, source));
        }
        if (!slim.profiles().isEmpty()) {
          Profiles.apply(
              plan,
              fs,
              source,
              Profiles.load(profiles, slim.profiles(), fs, reporter),
              slim.strictProfiles(),
              reporter);
        }
        SlimWorkflow.addRequested(plan, fs, slim, reporter);
        SlimWorkflow.addRuntimeConfig(
            plan, fs, source, request.probe().user(), request.probe().workingDir());
        Closure closure = SlimWorkflow.resolveClosure(plan, fs, source, phases, reporter);
        if (request.saveProfile().isPresent()) {
          TraceRequest.SaveProfile save = request.saveProfile().get();
          KeepPlan.Builder tracedOnly = KeepPlan.builder();
          for (ProbeRun run : probes) {
            addTraced(tracedOnly, fs, run.accesses());
          }
          Closure tracedClosure =
              new ClosureResolver(fs, LinkerEnv.fromImageEnv(source.env()))
                  .closureOf(SlimWorkflow.closureRoots(fs, tracedOnly.build()));
          Profile profile = Profiles.fromTrace(save.name(), source, probes, fs, tracedClosure);
          writeProfile(save.file(), profile, cleanup);
          reporter.step("saved profile " + save.name() + " to " + save.file());
        }
        ImageMaker.Made made =
            new ImageMaker(engine, reporter, cleanup)
                .make(fs, plan.build(), source, tag, slim.output(), tempDir, phases);

        List<TraceResult.Verification> verification = new ArrayList<>();
        boolean loaded = slim.output().isEmpty();
        if (request.verify() && !loaded) {
          reporter.warn("not verified: the image was written to a file, not loaded");
        }
        Set<String> kept = new java.util.HashSet<>();
        made.plan().nodes().forEach(n -> kept.add(n.path()));
        if (request.verify() && loaded) {
          for (int i = 0; i < commands.size(); i++) {
            ProbeCommand command = commands.get(i);
            ProbeRun fat = probes.get(i);
            verification.add(
                phases.run(
                    "verify",
                    "verifying `" + command.text() + "` in " + tag,
                    () -> verify(runner, tag, command, fat, request, tracer, fs, kept)));
          }
        }
        SlimResult slimResult =
            new SlimResult(
                source,
                tag,
                slim.output(),
                source.size(),
                made.slimSize(),
                changeSetSize,
                closure,
                made.plan(),
                phases.timings());
        TraceResult result = new TraceResult(slimResult, keep, probes, verification, traced);
        if (!result.verified()) {
          throw new VerificationFailedException(
              "the slim image " + tag + " does not run the commands as the source did", result);
        }
        return result;
      }
    }
  }

  /** Writes next to the destination and moves into place; creates the directory if needed. */
  private static void writeProfile(Path file, Profile profile, Cleanup cleanup) throws IOException {
    Path abs = file.toAbsolutePath();
    java.nio.file.Files.createDirectories(abs.getParent());
    Path partial = TempFiles.partialFileFor(abs);
    Runnable removePartial =
        cleanup.add("partial file " + partial, () -> java.nio.file.Files.deleteIfExists(partial));
    try {
      java.nio.file.Files.writeString(
          partial, new ProfileJson().write(profile), java.nio.charset.StandardCharsets.UTF_8);
      java.nio.file.Files.move(
          partial,
          abs,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      removePartial.run();
    }
  }

  /** A container is committed to a temporary image; an image is used as it is. */
  private String probeImage(Source source, Cleanup cleanup) {
    if (source.kind() == Source.Kind.IMAGE) {
      return source.imageId();
    }
    String image = engine.commit(source.id(), Map.of(SourceReader.TEMP_LABEL, "probe-image"));
    cleanup.add("temporary image " + image, () -> engine.removeImage(image));
    return image;
  }

  /**
   * Through /bin/sh -c when the image has a shell, otherwise split into an argv; a --run-file
   * script last, run by its #! line (or the shell).
   */
  static List<ProbeCommand> commands(
      List<String> texts, Optional<TraceRequest.RunFile> runFile, RootFs fs) {
    boolean shell = fs.resolve("/bin/sh").found();
    List<ProbeCommand> out = new ArrayList<>();
    try {
      for (String text : texts) {
        if (text.isBlank()) {
          throw new UnusableInputException("an empty --run command");
        }
        out.add(shell ? ProbeCommand.shell("/bin/sh", text) : ProbeCommand.argv(text));
      }
      if (runFile.isPresent()) {
        out.add(
            ProbeCommand.script(
                runFile.get().name(),
                new ProbeCommand.Script(runFile.get().content()),
                shell ? Optional.of("/bin/sh") : Optional.empty()));
      }
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(
          "cannot run " + describe(texts, runFile) + ": " + e.getMessage());
    }
    return out;
  }

  private static String describe(List<String> texts, Optional<TraceRequest.RunFile> runFile) {
    return runFile.isPresent() && texts.isEmpty()
        ? "--run-file " + runFile.get().name()
        : "the command `" + String.join("`, `", texts) + "`";
  }

  private static ProbeRun probe(
      ProbeRunner runner, String image, ProbeCommand command, TraceRequest request, byte[] tracer)
      throws IOException {
    if (request.forceLdDebug()) {
      return runner.run(image, command, request.probe(), TracerKind.LD_DEBUG, Optional.empty());
    }
    return runner.trace(image, command, request.probe(), tracer);
  }

  /**
   * Adds the paths a probe used and that existed in the image: each resolved (hops kept), files
   * whole, directories that were only listed or stat'ed as directories alone. Failed lookups, paths
   * made during the probe, and the kernel's and the tracer's paths are left out. Returns how many
   * paths were added.
   */
  static int addTraced(KeepPlan.Builder plan, RootFs fs, AccessSet accesses) {
    return addTraced(
        plan, fs, accesses, List.of(dev.skinnywhale.linker.LinkerEnv.DEFAULT_PATH.split(":")));
  }

  static int addTraced(
      KeepPlan.Builder plan, RootFs fs, AccessSet accesses, List<String> imagePath) {
    int added = 0;
    for (Map.Entry<String, Set<Access>> e : accesses.byPath().entrySet()) {
      String path = e.getKey();
      if (!path.startsWith("/")) {
        // A bare program name (LD_DEBUG names the program as it was run): found on PATH.
        boolean ran =
            e.getValue().stream().anyMatch(a -> a.success() && a.kind() == AccessKind.EXEC);
        if (ran && !path.isEmpty() && !path.contains("/")) {
          added += addProgram(plan, fs, path, imagePath);
        }
        continue;
      }
      if (isIgnored(FsPath.normalize(path))) {
        continue;
      }
      boolean success = e.getValue().stream().anyMatch(Access::success);
      if (!success) {
        continue;
      }
      boolean noFollow =
          e.getValue().stream()
              .filter(Access::success)
              .allMatch(a -> a.kind() == AccessKind.READLINK);
      Resolution r = noFollow ? fs.resolveNoFollow(path) : fs.resolve(path);
      if (!r.found()) {
        // Made during the probe (it was not in the image): the program needs the directory it
        // made it in, so the nearest directory the image has on the way is kept, without contents.
        if (e.getValue().stream().anyMatch(a -> a.success() && creates(a.kind()))) {
          added += addExistingAncestor(plan, fs, FsPath.normalize(path));
        }
        continue;
      }
      for (String hop : r.hops()) {
        plan.add(hop, Reason.SYMLINK_HOP);
      }
      FsNode node = r.node().orElseThrow();
      if (!isIgnored(node.path())) {
        plan.add(node.path(), Reason.TRACED);
        added++;
      }
    }
    return added;
  }

  /**
   * The interpreter of a --run-file script: the kernel opens it inside execve, so no trace shows it
   * (a script in the image is a kept file, and the closure adds its interpreter; this one is not).
   * {@code #!/usr/bin/env NAME} keeps env and NAME as found on the image's PATH.
   */
  static void addInterpreter(
      KeepPlan.Builder plan, RootFs fs, ProbeCommand.Script script, Source source) {
    if (!script.hasShebang()) {
      return;
    }
    String line = script.content().lines().findFirst().orElse("").substring(2).strip();
    List<String> words = List.of(line.split("[ \t]+"));
    if (words.isEmpty() || words.get(0).isEmpty()) {
      return;
    }
    List<String> programs = new ArrayList<>();
    programs.add(words.get(0));
    if (FsPath.name(words.get(0)).equals("env")) {
      words.stream().skip(1).filter(w -> !w.startsWith("-")).findFirst().ifPresent(programs::add);
    }
    for (String program : programs) {
      SlimWorkflow.findProgram(
              fs, program, dev.skinnywhale.linker.LinkerEnv.fromImageEnv(source.env()).path())
          .ifPresent(
              r -> {
                r.hops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
                plan.add(r.finalPath(), Reason.TRACED);
              });
    }
  }

  /** A program as exec finds it (a path, or a name on the image's PATH), with its hops. */
  static int addProgram(KeepPlan.Builder plan, RootFs fs, String program, List<String> imagePath) {
    var found = SlimWorkflow.findProgram(fs, program, imagePath);
    found.ifPresent(
        r -> {
          r.hops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
          plan.add(r.finalPath(), Reason.TRACED);
        });
    return found.isPresent() ? 1 : 0;
  }

  /** Whether an access made (or removed) its path, so the directory it is in is needed. */
  static boolean creates(AccessKind kind) {
    return kind == AccessKind.OPEN_WRITE || kind == AccessKind.CREATE || kind == AccessKind.REMOVE;
  }

  /** The nearest ancestor of {@code path} that resolves to a directory in the image, not "/". */
  static Optional<Resolution> existingAncestor(RootFs fs, String path) {
    List<String> ancestors = FsPath.ancestors(path);
    for (int i = ancestors.size() - 1; i >= 1; i--) {
      Resolution dir = fs.resolve(ancestors.get(i));
      if (dir.found()) {
        return dir.node().orElseThrow() instanceof FsNode.Directory && !isIgnored(dir.finalPath())
            ? Optional.of(dir)
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Keeps the nearest ancestor of {@code path} that is a directory in the image, alone. */
  private static int addExistingAncestor(KeepPlan.Builder plan, RootFs fs, String path) {
    Optional<Resolution> dir = existingAncestor(fs, path);
    dir.ifPresent(
        d -> {
          d.hops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
          plan.add(d.finalPath(), Reason.TRACED);
        });
    return dir.isPresent() ? 1 : 0;
  }

  static boolean isIgnored(String path) {
    return IGNORED_ROOTS.stream().anyMatch(root -> FsPath.isUnder(path, root));
  }

  private TraceResult.Verification verify(
      ProbeRunner runner,
      String tag,
      ProbeCommand command,
      ProbeRun fat,
      TraceRequest request,
      byte[] tracer,
      RootFs fs,
      Set<String> kept)
      throws IOException {
    ProbeRun slim;
    try {
      slim = runner.run(tag, command, request.probe(), TracerKind.NONE, Optional.empty());
    } catch (dev.skinnywhale.docker.EngineException e) {
      // The engine could not even start it (a user name it cannot look up, a missing entrypoint).
      String why = "did not start: " + e.getMessage();
      reporter.warn("`" + command.text() + "` in " + tag + ": " + why);
      return new TraceResult.Verification(command.text(), fat.outcome(), why, false, List.of());
    }
    boolean passed =
        request.expectTimeout()
            ? slim.succeeded(true)
            : !slim.timedOut() && slim.exitCode().equals(fat.exitCode());
    if (passed) {
      return new TraceResult.Verification(
          command.text(), fat.outcome(), slim.outcome(), true, List.of());
    }
    reporter.warn(
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
    if (!request.forceLdDebug()) {
      ProbeRun traced = runner.trace(tag, command, request.probe(), tracer);
      missing.addAll(missingPaths(fat.accesses(), traced.accesses(), fs, kept));
    }
    missing.forEach(m -> reporter.warn("missing in " + tag + ": " + m));
    return new TraceResult.Verification(
        command.text(), fat.outcome(), slim.outcome(), false, missing);
  }

  /**
   * What the slim image lacks, from the traced slim run: a path it failed on that the source run
   * used successfully is missing itself when the source image has it; when the source run made it
   * (a file or directory created at run time), the directory it was made in is what is missing —
   * the nearest one the source image has and the slim image does not keep.
   */
  static List<String> missingPaths(AccessSet fat, AccessSet slim, RootFs fs, Set<String> kept) {
    SortedSet<String> fatFound = new TreeSet<>(fat.successfulPaths());
    SortedSet<String> out = new TreeSet<>();
    for (Map.Entry<String, Set<Access>> e : slim.byPath().entrySet()) {
      String path = e.getKey();
      boolean failedInSlim = e.getValue().stream().noneMatch(Access::success);
      if (!failedInSlim
          || !fatFound.contains(path)
          || !path.startsWith("/")
          || isIgnored(FsPath.normalize(path))) {
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

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
