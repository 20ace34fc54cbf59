package dev.skinnywhale.workflow;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.keep.ChangeSetContributor;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.IncludeContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.ProfileContributor;
import dev.skinnywhale.workflow.keep.RuntimeConfigContributor;
import dev.skinnywhale.workflow.keep.ScriptClosureContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.keep.SymbolNeedsContributor;
import dev.skinnywhale.workflow.keep.TracedContributor;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import dev.skinnywhale.workflow.steps.CommitProbeImage;
import dev.skinnywhale.workflow.steps.Destination;
import dev.skinnywhale.workflow.steps.FindSource;
import dev.skinnywhale.workflow.steps.InterpretTraces;
import dev.skinnywhale.workflow.steps.LoadProfiles;
import dev.skinnywhale.workflow.steps.MakeImage;
import dev.skinnywhale.workflow.steps.Plan;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.Probe;
import dev.skinnywhale.workflow.steps.Prober;
import dev.skinnywhale.workflow.steps.ReadFilesystem;
import dev.skinnywhale.workflow.steps.SaveProfile;
import dev.skinnywhale.workflow.steps.SuggestProfiles;
import dev.skinnywhale.workflow.steps.TakeChangeSet;
import dev.skinnywhale.workflow.steps.Verification;
import dev.skinnywhale.workflow.steps.Verify;
import java.io.IOException;
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
 * slim  = FindSource → ReadFilesystem → [TakeChangeSet] → Plan → SuggestProfiles → MakeImage
 * build = FindSource → ReadFilesystem → LoadProfiles → [TakeChangeSet] → Plan → MakeImage
 * trace = FindSource → CommitProbeImage → ReadFilesystem → Probe → InterpretTraces
 *       → [LoadProfiles] → [TakeChangeSet] → Plan → [SaveProfile] → MakeImage → [Verify]
 * </pre>
 *
 * {@code Plan} asks the keep contributors of the build in order (change set, traced, profiles,
 * includes and excludes, runtime config, the script closure, the imported symbols' needs) and then
 * the static closure. The user's container and image are never changed; every temporary container,
 * image and file is removed when the run ends, also on failure. A failed verification is part of
 * the result, not an exception.
 */
public final class Workflows {
  private final DockerEngine engine;
  private final Reporter reporter;
  private final Clock clock;
  private final ProfileStore profiles;

  public Workflows(DockerEngine engine, Reporter reporter, Clock clock, ProfileStore profiles) {
    this.engine = engine;
    this.reporter = reporter;
    this.clock = clock;
    this.profiles = profiles;
  }

  /** {@code skinnywhale <container|image>} and {@code skinnywhale build --profile P}. */
  public SlimResult slim(SlimRequest request) throws IOException {
    Destination.checkOutput(request.output());
    try (Run run = Run.open(engine, reporter, clock)) {
      Source source = new FindSource(run).find(request.target(), request.base());
      Destination destination = Destination.choose(engine, source, request.tag(), request.output());
      try (RootFs fs = new ReadFilesystem(run).read(source)) {
        Built built = build(run, request, source, fs, Optional.empty(), TracedPaths.none());
        return built.result(source, destination, run, built.make(run, fs, source, destination));
      }
    }
  }

  /** {@code skinnywhale trace --run CMD <container|image>}. */
  public TraceResult trace(TraceRequest request) throws IOException {
    SlimRequest slim = request.slim();
    if (request.commands().isEmpty() && request.runFile().isEmpty()) {
      throw new UnusableInputException("give at least one command with --run or --run-file");
    }
    Destination.checkOutput(slim.output());
    try (Run run = Run.open(engine, reporter, clock)) {
      Source source = new FindSource(run).find(slim.target(), slim.base());
      if (!engine.networkExists(request.probe().network())) {
        throw new UnusableInputException(
            "--network " + request.probe().network() + ": no such network");
      }
      if (request.forceLdDebug()) {
        reporter.warn(
            "--ld-debug sees the libraries programs load, not the data files they open: keep those"
                + " with --include or a profile");
      }
      Destination destination = Destination.choose(engine, source, slim.tag(), slim.output());
      Prober prober = Prober.choose(run, source, request.forceLdDebug());
      String probeImage = new CommitProbeImage(run).imageFor(source);
      try (RootFs fs = new ReadFilesystem(run).read(source)) {
        List<ProbeCommand> commands = PrepareCommands.of(request.commands(), request.runFile(), fs);
        List<ProbeRun> probes =
            new Probe(run, prober)
                .probe(
                    slim.target(), probeImage, commands, request.probe(), request.expectTimeout());
        TracedPaths traced =
            InterpretTraces.interpret(
                fs, commands, probes, LinkerEnv.fromImageEnv(source.env()).path());
        Built built = build(run, slim, source, fs, Optional.of(request), traced);
        if (request.saveProfile().isPresent()) {
          new SaveProfile(run)
              .save(request.saveProfile().get(), source, probes, traced, built.closure(), fs);
        }
        MakeImage.Made made = built.make(run, fs, source, destination);
        List<Verification> verification = List.of();
        if (request.verify() && destination.output().isPresent()) {
          reporter.warn("not verified: the image was written to a file, not loaded");
        } else if (request.verify()) {
          Set<String> kept = new HashSet<>();
          made.plan().nodes().forEach(n -> kept.add(n.path()));
          verification =
              new Verify(run, prober)
                  .verify(
                      destination.tag(),
                      commands,
                      probes,
                      request.probe(),
                      request.expectTimeout(),
                      fs,
                      kept);
        }
        return new TraceResult(
            built.result(source, destination, run, made),
            built.keep(),
            probes,
            verification,
            traced.size());
      }
    }
  }

  /** LoadProfiles → [TakeChangeSet] → Plan, the part every use case shares. */
  private Built build(
      Run run,
      SlimRequest request,
      Source source,
      RootFs fs,
      Optional<TraceRequest> trace,
      TracedPaths traced)
      throws IOException {
    List<ProfileStore.Stored> loaded = new LoadProfiles(run, profiles).load(request.profiles(), fs);
    KeepStrategy keep =
        KeepStrategy.choose(request.keep(), source.kind(), trace.isPresent(), !loaded.isEmpty());
    Optional<SortedSet<String>> changes =
        keep == KeepStrategy.CHANGES
            ? Optional.of(new TakeChangeSet(run).take(source, fs, request.base()))
            : Optional.empty();
    List<KeepContributor> contributors = new ArrayList<>();
    if (keep == KeepStrategy.CHANGES) {
      contributors.add(new ChangeSetContributor(request.defaultExcludes(), request.includes()));
    }
    if (trace.isPresent()) {
      contributors.add(new TracedContributor());
    }
    if (!loaded.isEmpty()) {
      contributors.add(new ProfileContributor(loaded, request.strictProfiles()));
    }
    contributors.add(
        new IncludeContributor(
            request.includes(), request.excludes(), request.bruteLib(), request.bruteUsrLib()));
    contributors.add(
        new RuntimeConfigContributor(
            trace.flatMap(t -> t.probe().user()), trace.flatMap(t -> t.probe().workingDir())));
    // After everything that keeps programs, before the static closure of it all.
    contributors.add(new ScriptClosureContributor());
    contributors.add(new SymbolNeedsContributor(new LoadProfiles(run, profiles).symbolNeeds()));
    Plan.Planned planned =
        new Plan(run)
            .make(
                new Snapshot(fs, source, changes, traced), contributors, new ClosureContributor());
    if (loaded.isEmpty() && trace.isEmpty()) {
      new SuggestProfiles(reporter, profiles).suggest(fs, planned.plan());
    }
    return new Built(keep, planned);
  }

  /** What the plan step decided, on its way to an image. */
  private record Built(KeepStrategy keep, Plan.Planned planned) {
    dev.skinnywhale.linker.Closure closure() {
      return planned.closure();
    }

    MakeImage.Made make(Run run, RootFs fs, Source source, Destination destination)
        throws IOException {
      return new MakeImage(run).make(fs, planned.plan(), source, destination);
    }

    SlimResult result(Source source, Destination destination, Run run, MakeImage.Made made) {
      return new SlimResult(
          source,
          destination.tag(),
          destination.output(),
          source.size(),
          made.slimSize(),
          planned.changeSetSize(),
          planned.closure(),
          made.plan(),
          run.steps().timings());
    }
  }
}
