package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileBuilder;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileSource;
import dev.skinnywhale.profile.TracerKind;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Saves what the probes found as a profile: every traced node (with the symlinks crossed), and the
 * part of the build's static closure that the traced files need, each library with the file that
 * needs it. Sorted and free of time stamps and host paths, so tracing an unchanged image again
 * gives the same bytes.
 */
public record SaveProfile(Run run) {
  /** A profile to write: its name and its file. */
  public record Target(String name, Path file) {
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * Writes the profile.
   *
   * @param options the probes' run options, recorded with each command
   * @param seccomp the commands' seccomp policy, when the trace made one
   */
  public void save(
      Target target,
      Source source,
      List<ProbeRun> probes,
      TracedPaths traced,
      Closure closure,
      RootFs fs,
      RunOptions options,
      Optional<dev.skinnywhale.seccomp.SeccompPolicy> seccomp)
      throws IOException {
    Profile profile =
        profileOf(target.name(), source, probes, traced, closure, fs, options).withSeccomp(seccomp);
    write(target.file(), profile);
    run.steps().say("saved profile " + target.name() + " to " + target.file());
  }

  /**
   * @param options the probe containers' {@code docker run} options, recorded with each command
   */
  static Profile profileOf(
      String name,
      Source source,
      List<ProbeRun> probes,
      TracedPaths traced,
      Closure closure,
      RootFs fs,
      RunOptions options) {
    TracerKind kind =
        probes.stream().anyMatch(p -> p.tracer() == dev.skinnywhale.trace.TracerKind.LD_DEBUG)
            ? TracerKind.LD_DEBUG
            : TracerKind.PTRACE;
    ProfileBuilder b =
        new ProfileBuilder(name, kind)
            .source(
                new ProfileSource(
                    source.imageId(),
                    Optional.of(source.reference()),
                    Optional.of(source.architecture())));
    probes.forEach(p -> b.command(p.command().text(), p.exitCode().orElse(-1), options.args()));
    for (TracedPaths.Entry e : traced.entries().values()) {
      addHops(b, e.hops());
      List<Why> whys = e.uses().stream().map(SaveProfile::why).toList();
      b.add(
          e.path(), type(e.node()), whys.get(0), whys.subList(1, whys.size()).toArray(new Why[0]));
    }
    addHops(b, traced.strayHops());
    for (Dependency d : neededByTraced(traced, closure)) {
      if (!traced.entries().containsKey(d.finalPath())) {
        fs.get(d.finalPath()).ifPresent(n -> b.neededBy(d.finalPath(), type(n), d.neededBy()));
      }
      addHops(b, d.hops());
    }
    return b.build();
  }

  private static void addHops(ProfileBuilder b, java.util.Collection<String> hops) {
    hops.forEach(hop -> b.add(hop, EntryType.SYMLINK, Why.SYMLINK_HOP));
  }

  /** The edges of the closure reachable from the traced files (the build kept more than those). */
  static List<Dependency> neededByTraced(TracedPaths traced, Closure closure) {
    Set<String> reached = new HashSet<>(traced.entries().keySet());
    Set<Dependency> out = new java.util.LinkedHashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Dependency d : closure.dependencies()) {
        if (reached.contains(d.neededBy()) && out.add(d)) {
          reached.add(d.finalPath());
          grew = true;
        }
      }
    }
    return List.copyOf(out);
  }

  /** Writes next to the destination and moves into place; creates the directory if needed. */
  private void write(Path file, Profile profile) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    String text = new ProfileJson().write(profile);
    OutputFile.write(abs, run.cleanup(), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static Why why(TracedPaths.Use use) {
    return switch (use) {
      case EXEC -> Why.EXEC;
      case OPENED -> Why.OPENED;
      case STAT -> Why.STAT;
      case READLINK -> Why.READLINK;
      case LISTED -> Why.LISTED;
      case CREATED_IN -> Why.CREATED_IN;
    };
  }

  private static EntryType type(FsNode node) {
    if (node instanceof FsNode.Directory) {
      return EntryType.DIR;
    }
    if (node instanceof FsNode.Symlink) {
      return EntryType.SYMLINK;
    }
    return EntryType.FILE;
  }
}
