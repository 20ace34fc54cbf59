package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.Rewrites;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.packages.PackageUsage;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeOptions;
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
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.steps.Destination;
import dev.skinnywhale.workflow.steps.LoadProfiles;
import dev.skinnywhale.workflow.steps.MakeImage;
import dev.skinnywhale.workflow.steps.Plan;
import dev.skinnywhale.workflow.steps.PrunePackageDb;
import dev.skinnywhale.workflow.steps.ReadPackages;
import dev.skinnywhale.workflow.steps.SuggestProfiles;
import dev.skinnywhale.workflow.steps.TakeChangeSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The part every use case shares, in two halves: {@link #prepare} (LoadProfiles → ReadPackages →
 * TakeChangeSet) needs only the filesystem, so a trace does it while its probes still run; {@link
 * #plan} (Plan with the keep contributors of the build) needs what the probes found.
 */
record Building(Run run, ProfileStore profiles, SlimRequest request, Source source) {

  /** What the filesystem alone decides: the profiles, the keep strategy, packages, change set. */
  record Prepared(
      List<ProfileStore.Stored> loaded,
      KeepStrategy keep,
      Optional<PackageIndex> packages,
      Optional<SortedSet<String>> changes) {
    Prepared {
      loaded = List.copyOf(loaded);
    }
  }

  /** LoadProfiles → ReadPackages → TakeChangeSet. */
  Prepared prepare(KeepStrategy.Use use, RootFs fs) throws IOException {
    var reporter = run.reporter();
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
    return new Prepared(loaded, keep, packages, changes);
  }

  /** Plan, with the keep contributors of the build in order. */
  Built plan(RootFs fs, Prepared prepared, Optional<ProbeOptions> trace, TracedPaths traced)
      throws IOException {
    KeepStrategy keep = prepared.keep();
    List<ProfileStore.Stored> loaded = prepared.loaded();
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
                new Snapshot(
                    fs, source, prepared.changes(), traced, prepared.packages(), aboveBase),
                contributors,
                new ClosureContributor());
    if (loaded.isEmpty() && trace.isEmpty()) {
      new SuggestProfiles(run.reporter(), profiles).suggest(fs, planned.plan());
    }
    return new Built(keep, planned, loaded, prepared.packages());
  }

  /** What the plan step decided, on its way to an image. */
  record Built(
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
