package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.Rewrites;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.registry.RegistryOptions;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.packages.PackageUsage;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallTable;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.keep.ChangeSetContributor;
import dev.skinnywhale.workflow.keep.ChangeSetDirsContributor;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.IncludeContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.MountContributor;
import dev.skinnywhale.workflow.keep.PackageDbContributor;
import dev.skinnywhale.workflow.keep.PackagesContributor;
import dev.skinnywhale.workflow.keep.ProfileContributor;
import dev.skinnywhale.workflow.keep.RuntimeBasicsContributor;
import dev.skinnywhale.workflow.keep.RuntimeConfigContributor;
import dev.skinnywhale.workflow.keep.ScriptClosureContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.keep.SymbolNeedsContributor;
import dev.skinnywhale.workflow.keep.TracedContributor;
import dev.skinnywhale.workflow.keep.UserFilesContributor;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import dev.skinnywhale.workflow.steps.ApplyChanges;
import dev.skinnywhale.workflow.steps.ConfigProbe;
import dev.skinnywhale.workflow.steps.Destination;
import dev.skinnywhale.workflow.steps.FindSource;
import dev.skinnywhale.workflow.steps.InterpretTraces;
import dev.skinnywhale.workflow.steps.LoadProfiles;
import dev.skinnywhale.workflow.steps.MakeImage;
import dev.skinnywhale.workflow.steps.Plan;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.Probe;
import dev.skinnywhale.workflow.steps.ProbeImageAndFilesystem;
import dev.skinnywhale.workflow.steps.Prober;
import dev.skinnywhale.workflow.steps.PrunePackageDb;
import dev.skinnywhale.workflow.steps.ReadFilesystem;
import dev.skinnywhale.workflow.steps.ReadPackages;
import dev.skinnywhale.workflow.steps.RuntimeSyscalls;
import dev.skinnywhale.workflow.steps.SaveProfile;
import dev.skinnywhale.workflow.steps.SuggestProfiles;
import dev.skinnywhale.workflow.steps.TakeChangeSet;
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
import java.util.SortedSet;

/**
 * The use cases, each a list of steps run by one {@link Run}:
 *
 * <pre>
 * slim  = FindSource → [ApplyChanges] → ReadFilesystem → ReadPackages → TakeChangeSet → Plan
 *       → SuggestProfiles → MakeImage
 * build = FindSource → [ApplyChanges] → ReadFilesystem → LoadProfiles → ReadPackages
 *       → TakeChangeSet → Plan → MakeImage
 * trace = FindSource → [ApplyChanges] → CommitProbeImage ∥ ReadFilesystem → Probe (the --run
 *       commands, the --run-file, [ConfigProbe]; side by side when independent) → InterpretTraces → [RuntimeSyscalls]
 *       → [LoadProfiles] → ReadPackages → TakeChangeSet → Plan → [SaveProfile] → MakeImage
 *       → [Verify] → [WriteSeccompProfile]
 * </pre>
 *
 * {@code ApplyChanges} applies --change to the slim image's config before anything is planned (and
 * before anything is exported); {@code ConfigProbe} is the image's own command, run when no command
 * is given or with --run-config. With {@code --seccomp-profile} the probes record every syscall,
 * {@code RuntimeSyscalls} adds what the container runtime needs, verification runs every command
 * under the profile, and the profile is written only when that passed (or verification was not
 * asked for); {@code build} writes the policy its profiles carry.
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
        Built built = build(run, request, use, source, fs, Optional.empty(), TracedPaths.none());
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
      ProbeImageAndFilesystem.Ready ready =
          new ProbeImageAndFilesystem(run, ReadFilesystem.Mode.fromEnv(env)).prepare(source);
      String probeImage = ready.probeImage();
      try (RootFs fs = ready.fs()) {
        List<ProbeCommand> commands =
            new ArrayList<>(PrepareCommands.of(request.commands(), request.runFile(), fs));
        configProbe.ifPresent(commands::add);
        List<ProbeRun> probes =
            new Probe(run, prober)
                .probe(slim.target(), probeImage, commands, options, request.expectTimeout());
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
        Built built =
            build(run, slim, KeepStrategy.Use.TRACE, source, fs, Optional.of(options), traced);
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
          verification =
              new Verify(run, prober)
                  .verify(
                      made.engineImage(),
                      commands,
                      probes,
                      options,
                      request.expectTimeout(),
                      fs,
                      kept,
                      policy.map(p -> new Verify.Seccomp(p, table)));
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

  /** LoadProfiles → ReadPackages → TakeChangeSet → Plan, the part every use case shares. */
  private Built build(
      Run run,
      SlimRequest request,
      KeepStrategy.Use use,
      Source source,
      RootFs fs,
      Optional<ProbeOptions> trace,
      TracedPaths traced)
      throws IOException {
    List<ProfileStore.Stored> loaded = new LoadProfiles(run, profiles).load(request.profiles(), fs);
    KeepStrategy asked = KeepStrategy.choose(request.keep(), source.kind(), use, !loaded.isEmpty());
    Optional<PackageIndex> packages =
        new ReadPackages(run)
            .read(
                fs, source, asked == KeepStrategy.PACKAGES || !request.includePackages().isEmpty());
    KeepStrategy keep = asked;
    if (asked == KeepStrategy.PACKAGES && packages.isEmpty()) {
      reporter.info("the image has no package database: --keep packages keeps what traced does");
      keep = KeepStrategy.TRACED;
    }
    for (String name : request.includePackages()) {
      dev.skinnywhale.packages.PackageGlob glob = new dev.skinnywhale.packages.PackageGlob(name);
      if (packages.isEmpty() || packages.get().db().packages().stream().noneMatch(glob::matches)) {
        reporter.warn("--include-package " + name + ": no such package is installed");
      }
    }
    if (keep == KeepStrategy.TRACED && !request.excludePackages().isEmpty()) {
      reporter.warn("--exclude-package has no effect with --keep traced (no package is expanded)");
    }
    Optional<SortedSet<String>> changes =
        Optional.of(new TakeChangeSet(run).take(source, fs, request.base()));
    boolean aboveBase = source.kind() == Source.Kind.CONTAINER || request.base().isPresent();
    List<KeepContributor> contributors = new ArrayList<>();
    if (keep == KeepStrategy.CHANGES) {
      contributors.add(new ChangeSetContributor(request.defaultExcludes(), request.includes()));
    }
    if (trace.isPresent()) {
      contributors.add(new TracedContributor());
      contributors.add(new MountContributor(trace.get().run().externalTargets()));
    }
    if (!loaded.isEmpty()) {
      contributors.add(new ProfileContributor(loaded, request.strictProfiles()));
    }
    contributors.add(
        new IncludeContributor(
            request.includes(), request.excludes(), request.bruteLib(), request.bruteUsrLib()));
    contributors.add(
        new RuntimeConfigContributor(
            trace.flatMap(ProbeOptions::user), trace.flatMap(ProbeOptions::workingDir)));
    contributors.add(new UserFilesContributor(request.defaultExcludes()));
    contributors.add(new ChangeSetDirsContributor());
    contributors.add(new RuntimeBasicsContributor());
    contributors.add(
        new PackagesContributor(
            keep != KeepStrategy.TRACED,
            request.keepDocs(),
            request.excludePackages(),
            request.includePackages()));
    contributors.add(
        new ScriptClosureContributor(
            TraceInputs.readsConfigCommand(run.engine(), source, request.changes())));
    contributors.add(new SymbolNeedsContributor(new LoadProfiles(run, profiles).symbolNeeds()));
    contributors.add(new PackageDbContributor());
    Plan.Planned planned =
        new Plan(run)
            .make(
                new Snapshot(fs, source, changes, traced, packages, aboveBase),
                contributors,
                new ClosureContributor());
    if (loaded.isEmpty() && trace.isEmpty()) {
      new SuggestProfiles(reporter, profiles).suggest(fs, planned.plan());
    }
    return new Built(keep, planned, loaded, packages);
  }

  /** What the plan step decided, on its way to an image. */
  private record Built(
      KeepStrategy keep,
      Plan.Planned planned,
      List<ProfileStore.Stored> loaded,
      Optional<PackageIndex> packages) {
    dev.skinnywhale.linker.Closure closure() {
      return planned.closure();
    }

    MakeImage.Made make(
        Run run,
        RootFs fs,
        Source source,
        Destination destination,
        dev.skinnywhale.image.Compression compression,
        boolean loadForVerify)
        throws IOException {
      List<Rewrites.Rewriter> rewriters = new ArrayList<>();
      packages.ifPresent(i -> rewriters.add(new PrunePackageDb(run, i)));
      return new MakeImage(run)
          .make(fs, planned.plan(), source, destination, compression, loadForVerify, rewriters);
    }

    SlimResult result(
        Source source, Destination destination, Run run, RootFs fs, MakeImage.Made made) {
      List<PackageUsage> usage =
          packages.map(i -> PackageUsage.of(i, fs, made.plan().paths())).orElse(List.of());
      return new SlimResult(
          source,
          destination.tag(),
          destination.output(),
          source.size(),
          made.slimSize(),
          planned.changeSetSize(),
          planned.closure(),
          made.plan(),
          run.steps().timings(),
          made.digest(),
          usage);
    }
  }
}
