package dev.skinnywhale.workflow;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.registry.RegistryOptions;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallTable;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.keep.MountContributor;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Parallel;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import dev.skinnywhale.workflow.steps.ApplyChanges;
import dev.skinnywhale.workflow.steps.CommitProbeImage;
import dev.skinnywhale.workflow.steps.ConfigProbe;
import dev.skinnywhale.workflow.steps.Destination;
import dev.skinnywhale.workflow.steps.FindSource;
import dev.skinnywhale.workflow.steps.InterpretTraces;
import dev.skinnywhale.workflow.steps.MakeImage;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.Probe;
import dev.skinnywhale.workflow.steps.ProbeBesideFilesystem;
import dev.skinnywhale.workflow.steps.Prober;
import dev.skinnywhale.workflow.steps.ReadFilesystem;
import dev.skinnywhale.workflow.steps.RuntimeSyscalls;
import dev.skinnywhale.workflow.steps.SaveProfile;
import dev.skinnywhale.workflow.steps.Verification;
import dev.skinnywhale.workflow.steps.Verify;
import dev.skinnywhale.workflow.steps.WriteSeccompProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The use cases, each a list of steps run by one {@link Run}:
 *
 * <pre>
 * slim  = FindSource → [ApplyChanges] → ReadFilesystem → ReadPackages → TakeChangeSet → Plan
 *       → SuggestProfiles → MakeImage
 * build = FindSource → [ApplyChanges] → ReadFilesystem → LoadProfiles → ReadPackages
 *       → TakeChangeSet → Plan → MakeImage
 * trace = FindSource → [ApplyChanges] → (CommitProbeImage → Probe (the --run commands, the
 *       --run-file, [ConfigProbe]; side by side when independent)) ∥ (ReadFilesystem
 *       → [LoadProfiles] → ReadPackages → TakeChangeSet) → InterpretTraces → [RuntimeSyscalls]
 *       → Plan → [SaveProfile] → MakeImage → [Verify] → [WriteSeccompProfile]
 * </pre>
 *
 * In a trace the probes run beside the reading of the filesystem and what needs only that ({@link
 * ProbeBesideFilesystem}; a container read through a helper of its commit is committed first); for
 * an image from a file or registry, one after the other. {@code ApplyChanges} applies --change to
 * the slim image's config before anything is planned (and before anything is exported); {@code
 * ConfigProbe} is the image's own command, run when no command is given or with --run-config. With
 * {@code --seccomp-profile} the probes record every syscall, {@code RuntimeSyscalls} adds what the
 * container runtime needs, verification runs every command under the profile, and the profile is
 * written only when that passed (or verification was not asked for); {@code build} writes the
 * policy its profiles carry.
 *
 * <p>{@code Plan} asks the keep contributors of the build in order (change set, traced, mounts,
 * profiles, includes and excludes, runtime config, the user's files, the change set's directories,
 * the runtime basics), then the static closure, then the expanding ones (packages, the script
 * closure, the imported symbols' needs, the package database) and the closure in turn until the
 * plan settles. {@code MakeImage} prunes the package database to the layer ({@code
 * PrunePackageDb}). The user's container and image are never changed; every temporary container,
 * image and file is removed when the run ends, also on failure. A failed verification is part of
 * the result, not an exception.
 */
public final class Workflows {
  private final DockerEngine engine;
  private final Reporter reporter;
  private final Clock clock;
  private final ProfileStore profiles;
  private final java.util.Map<String, String> env;
  private final Optional<String> runId;

  public Workflows(DockerEngine engine, Reporter reporter, Clock clock, ProfileStore profiles) {
    this(engine, reporter, clock, profiles, java.util.Map.of(), Optional.empty());
  }

  /**
   * @param env the environment registries are reached with ({@code DOCKER_CONFIG}, {@code HOME},
   *     what credential helpers see)
   * @param runId the label value of everything temporary the runs make (random when empty)
   */
  public Workflows(
      DockerEngine engine,
      Reporter reporter,
      Clock clock,
      ProfileStore profiles,
      java.util.Map<String, String> env,
      Optional<String> runId) {
    this.engine = engine;
    this.reporter = reporter;
    this.clock = clock;
    this.profiles = profiles;
    this.env = java.util.Map.copyOf(env);
    this.runId = runId;
  }

  private Run open(SlimRequest request) throws IOException {
    return Run.open(
        engine,
        reporter,
        clock,
        runId,
        new RegistryOptions(request.io().insecureRegistries(), env),
        dev.skinnywhale.image.LayerEntriesCache.fromEnvironment(env));
  }

  /** {@code skinnywhale <container|image>}. */
  public SlimResult slim(SlimRequest request) throws IOException {
    return slim(request, KeepStrategy.Use.SLIM, Optional.empty());
  }

  /**
   * {@code skinnywhale build --profile P <container|image>}, and with {@code seccompProfile}
   * ({@code build --seccomp-profile}) the seccomp policy the loaded profiles carry written there.
   */
  public SlimResult build(SlimRequest request, Optional<Path> seccompProfile) throws IOException {
    return slim(request, KeepStrategy.Use.BUILD, seccompProfile);
  }

  private SlimResult slim(SlimRequest request, KeepStrategy.Use use, Optional<Path> seccompProfile)
      throws IOException {
    Destination.checkOutput(request.output());
    if (seccompProfile.isPresent()) {
      WriteSeccompProfile.checkTarget(seccompProfile.get());
    }
    try (Run run = open(request)) {
      Source source = new FindSource(run).find(request.target(), request.base());
      source = new ApplyChanges(run).apply(source, request.changes());
      Destination destination =
          Destination.choose(run.engine(), source, request.tag(), request.output());
      try (RootFs fs =
          new ReadFilesystem(run, ReadFilesystem.Mode.fromEnv(env))
              .read(source, Optional.empty())) {
        Building building = new Building(run, profiles, request, source);
        Building.Built built =
            building.plan(fs, building.prepare(use, fs), Optional.empty(), TracedPaths.none());
        Optional<SeccompPolicy> carried =
            seccompProfile.map(f -> WriteSeccompProfile.carried(built.loaded()));
        MakeImage.Made made =
            built.make(run, fs, source, destination, request.io().compression(), false);
        SlimResult result = built.result(source, destination, run, fs, made);
        if (carried.isPresent()) {
          reporter.warn(
              "the seccomp profile carried by the profiles is written unverified: build runs"
                  + " nothing (trace --seccomp-profile verifies one)");
          new WriteSeccompProfile(run).write(seccompProfile.get(), carried.get());
        }
        return result;
      }
    }
  }

  /** {@code skinnywhale trace [--run CMD] <container|image>}. */
  public TraceResult trace(TraceRequest request) throws IOException {
    SlimRequest slim = request.slim();
    Destination.checkOutput(slim.output());
    if (request.saveProfile().isPresent()) {
      OutputFile.check(request.saveProfile().get().file());
    }
    Optional<Path> seccompFile = request.seccompProfile();
    if (seccompFile.isPresent()) {
      WriteSeccompProfile.checkTarget(seccompFile.get());
      if (request.forceLdDebug()) {
        throw new UnusableInputException(
            "--seccomp-profile records syscalls with the ptrace tracer; it cannot be used with"
                + " --ld-debug");
      }
    }
    try (Run run = open(slim)) {
      Source found = new FindSource(run).find(slim.target(), slim.base());
      Source source = new ApplyChanges(run).apply(found, slim.changes());
      ProbeOptions options = ApplyChanges.forProbes(request.probe(), found, source);
      if (!run.engine().networkExists(options.network())) {
        throw new UnusableInputException("--network " + options.network() + ": no such network");
      }
      TraceInputs.checkVolumes(run.engine(), options.run());
      if (request.forceLdDebug()) {
        reporter.warn(
            "--ld-debug sees the libraries programs load, not the data files they open: keep those"
                + " with --include or a profile");
      }
      Destination destination = Destination.choose(run.engine(), source, slim.tag(), slim.output());
      Prober chosen = Prober.choose(run, source, request.forceLdDebug());
      Prober prober = seccompFile.isPresent() ? chosen.recordingSyscalls() : chosen;
      Optional<ProbeCommand> configProbe =
          request.probesConfig()
              ? Optional.of(
                  new ConfigProbe(run)
                      .command(
                          source,
                          request.configTimeout(),
                          TraceInputs.commandChanged(found, source),
                          request.runConfig()))
              : Optional.empty();
      ProbeBesideFilesystem.Commands asked =
          new ProbeBesideFilesystem.Commands(request.commands(), request.runFile(), configProbe);
      Building building = new Building(run, profiles, slim, source);
      ReadFilesystem.Mode mode = ReadFilesystem.Mode.fromEnv(env);
      ProbeBesideFilesystem.Done<Building.Prepared> done;
      if (ProbeBesideFilesystem.applies(source)) {
        done =
            new ProbeBesideFilesystem(run, mode)
                .run(
                    source,
                    slim.target(),
                    prober,
                    asked,
                    options,
                    request.expectTimeout(),
                    fs -> building.prepare(KeepStrategy.Use.TRACE, fs));
      } else {
        done = probeAfterRead(run, source, prober, asked, options, request, building);
      }
      String probeImage = done.probeImage();
      try (RootFs fs = done.fs()) {
        List<ProbeCommand> commands = done.commands();
        List<ProbeRun> probes = done.probes();
        List<String> mounted = MountContributor.paths(fs, options.run().mountTargets());
        TracedPaths traced =
            InterpretTraces.interpret(
                fs, commands, probes, LinkerEnv.fromImageEnv(source.env()).path(), mounted);
        Optional<RuntimeSyscalls.Completed> seccomp = Optional.empty();
        SyscallTable table = seccompFile.isPresent() ? SyscallTable.shipped() : null;
        if (seccompFile.isPresent()) {
          SeccompPolicy commandsPolicy =
              new WriteSeccompProfile(run).policyOf(source, probes, table);
          seccomp =
              Optional.of(
                  new RuntimeSyscalls(run, prober, table)
                      .complete(probeImage, commandsPolicy, options));
          reporter.info(
              "seccomp: "
                  + commandsPolicy.allowed().size()
                  + " syscalls from the commands, "
                  + seccomp.get().fromTrue().size()
                  + " more from `true`, "
                  + seccomp.get().runtime().size()
                  + " more for the container runtime"
                  + (seccomp.get().runtime().isEmpty()
                      ? ""
                      : " (" + String.join(", ", seccomp.get().runtime()) + ")"));
        }
        Optional<SeccompPolicy> policy = seccomp.map(RuntimeSyscalls.Completed::policy);
        Building.Built built = building.plan(fs, done.then(), Optional.of(options), traced);
        if (request.saveProfile().isPresent()) {
          new SaveProfile(run)
              .save(
                  request.saveProfile().get(),
                  source,
                  probes,
                  traced,
                  built.closure(),
                  fs,
                  options.run(),
                  policy);
        }
        MakeImage.Made made =
            built.make(run, fs, source, destination, slim.io().compression(), request.verify());
        List<Verification> verification = List.of();
        if (request.verify()) {
          Set<String> kept = new HashSet<>();
          made.plan().nodes().forEach(n -> kept.add(n.path()));
          // Nothing reads the filesystem's content from here on (the verification and the
          // summary use its metadata): what it holds (a helper container, a spool file) goes
          // while the slim image is verified, not after.
          verification =
              Parallel.both(
                      () -> {
                        try {
                          fs.close();
                        } catch (IOException | RuntimeException e) {
                          // closed again, and any failure said, when the block ends
                          reporter.debug("closing the filesystem early: " + e.getMessage());
                        }
                        return null;
                      },
                      () ->
                          new Verify(run, prober)
                              .verify(
                                  made.engineImage(),
                                  commands,
                                  probes,
                                  options,
                                  request.expectTimeout(),
                                  fs,
                                  kept,
                                  policy.map(p -> new Verify.Seccomp(p, table))),
                      v -> {})
                  .second();
        }
        Optional<SeccompResult> seccompResult = Optional.empty();
        if (seccomp.isPresent()) {
          boolean passed = verification.stream().allMatch(Verification::passed);
          if (passed) {
            new WriteSeccompProfile(run).write(seccompFile.get(), policy.get());
          } else {
            reporter.warn(
                "the seccomp profile was not written to "
                    + seccompFile.get()
                    + ": verification failed");
          }
          seccompResult =
              Optional.of(
                  new SeccompResult(
                      policy.get(),
                      seccomp.get().fromTrue(),
                      seccomp.get().runtime(),
                      passed ? seccompFile : Optional.empty()));
        }
        return new TraceResult(
            built.result(source, destination, run, fs, made),
            built.keep(),
            probes,
            verification,
            traced.size(),
            seccompResult);
      }
    }
  }

  /**
   * For an image from a file or registry: the probe image (the image loaded for the probes) and the
   * filesystem (its layers flattened) one after the other, then the commands as they run in it,
   * their probes and what needs the filesystem alone.
   */
  private static ProbeBesideFilesystem.Done<Building.Prepared> probeAfterRead(
      Run run,
      Source source,
      Prober prober,
      ProbeBesideFilesystem.Commands asked,
      ProbeOptions options,
      TraceRequest request,
      Building building)
      throws IOException {
    String probeImage = new CommitProbeImage(run).imageFor(source);
    RootFs fs = new ReadFilesystem(run).read(source);
    try {
      List<ProbeCommand> commands =
          new ArrayList<>(PrepareCommands.of(asked.texts(), asked.runFile(), fs));
      asked.configProbe().ifPresent(commands::add);
      List<ProbeRun> probes =
          new Probe(run, prober)
              .probe(
                  request.slim().target(), probeImage, commands, options, request.expectTimeout());
      Building.Prepared prepared = building.prepare(KeepStrategy.Use.TRACE, fs);
      return new ProbeBesideFilesystem.Done<>(probeImage, fs, prepared, commands, probes);
    } catch (IOException | RuntimeException | Error e) {
      fs.close();
      throw e;
    }
  }
}
