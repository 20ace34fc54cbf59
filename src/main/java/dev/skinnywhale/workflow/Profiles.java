package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileApplier;
import dev.skinnywhale.profile.ProfileBuilder;
import dev.skinnywhale.profile.ProfileSource;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.Access;
import dev.skinnywhale.tracelog.AccessKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The profile steps of a build: load (or pick with "auto"), apply to the plan, and save a trace.
 */
final class Profiles {
  /** The name that asks for every known profile whose markers match the image. */
  static final String AUTO = "auto";

  private Profiles() {}

  /** The profiles named, in order; "auto" adds every known profile whose markers match. */
  static List<ProfileStore.Stored> load(
      ProfileStore store, List<String> names, RootFs fs, Reporter reporter) {
    Map<String, ProfileStore.Stored> out = new LinkedHashMap<>();
    for (String name : names) {
      if (name.equals(AUTO)) {
        List<ProfileStore.Stored> known = store.list();
        List<Profile> picked =
            ProfileApplier.auto(fs, known.stream().map(ProfileStore.Stored::profile).toList());
        List<String> pickedNames = picked.stream().map(Profile::name).toList();
        reporter.info(
            "--profile auto picked: "
                + (pickedNames.isEmpty() ? "none" : String.join(", ", pickedNames)));
        for (ProfileStore.Stored s : known) {
          if (pickedNames.contains(s.profile().name())) {
            out.putIfAbsent(s.name(), s);
          }
        }
      } else {
        ProfileStore.Stored s = store.load(name);
        out.putIfAbsent(s.name(), s);
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * Adds what each profile names and the image has. Entries are re-checked against this image (a
   * profile made from another image may name paths this one lacks): missing ones are warned about,
   * or with {@code strict} end the build. Returns how many paths were added.
   */
  static int apply(
      KeepPlan.Builder plan,
      RootFs fs,
      Source source,
      List<ProfileStore.Stored> profiles,
      boolean strict,
      Reporter reporter) {
    int added = 0;
    for (ProfileStore.Stored stored : profiles) {
      Profile profile = stored.profile();
      Optional<ProfileSource> from = profile.source();
      if (from.isPresent() && !from.get().image().equals(source.imageId())) {
        reporter.debug(
            "profile "
                + profile.name()
                + " was made from "
                + from.get().image()
                + "; its entries are re-checked against "
                + source.reference());
      }
      ProfileApplier.Applied applied = ProfileApplier.apply(fs, profile);
      if (!applied.missing().isEmpty()) {
        String what =
            "profile "
                + profile.name()
                + " ("
                + stored.location()
                + "): "
                + applied.missing().size()
                + " entries not in "
                + source.reference()
                + ": "
                + String.join(
                    ", ", applied.missing().subList(0, Math.min(5, applied.missing().size())))
                + (applied.missing().size() > 5 ? ", ..." : "");
        if (strict) {
          throw new UnusableInputException(what);
        }
        reporter.warn(what);
      }
      for (String path : applied.paths()) {
        plan.add(path, Reason.PROFILE);
        added++;
      }
    }
    return added;
  }

  /**
   * A profile of what the probes used: every traced path that existed in the image (as the node it
   * resolved to, with the symlinks crossed), and the static closure of the traced ELF files with
   * the file that needs each library. Sorted and free of time stamps and host paths, so tracing an
   * unchanged image again gives the same bytes.
   */
  static Profile fromTrace(
      String name, Source source, List<ProbeRun> probes, RootFs fs, Closure closure) {
    dev.skinnywhale.profile.TracerKind kind =
        probes.stream().anyMatch(p -> p.tracer() == dev.skinnywhale.trace.TracerKind.LD_DEBUG)
            ? dev.skinnywhale.profile.TracerKind.LD_DEBUG
            : dev.skinnywhale.profile.TracerKind.PTRACE;
    ProfileBuilder b =
        new ProfileBuilder(name, kind)
            .source(
                new ProfileSource(
                    source.imageId(),
                    Optional.of(source.reference()),
                    Optional.of(source.architecture())));
    java.util.SortedSet<String> traced = new java.util.TreeSet<>();
    for (ProbeRun run : probes) {
      b.command(run.command().text(), run.exitCode().orElse(-1));
      for (Map.Entry<String, Set<Access>> e : run.accesses().byPath().entrySet()) {
        String path = e.getKey();
        if (!path.startsWith("/") || TraceWorkflow.isIgnored(FsPath.normalize(path))) {
          continue;
        }
        List<Why> whys = new ArrayList<>();
        for (Access a : e.getValue()) {
          if (a.success()) {
            whys.add(why(a.kind()));
          }
        }
        if (whys.isEmpty()) {
          continue;
        }
        Resolution r = fs.resolve(path);
        if (!r.found()) {
          // Made at run time: the directory it was made in is what the program needs.
          if (e.getValue().stream().anyMatch(a -> a.success() && TraceWorkflow.creates(a.kind()))) {
            TraceWorkflow.existingAncestor(fs, FsPath.normalize(path))
                .ifPresent(
                    dir -> {
                      dir.hops().forEach(hop -> b.add(hop, EntryType.SYMLINK, Why.SYMLINK_HOP));
                      b.add(dir.finalPath(), EntryType.DIR, Why.CREATED_IN);
                    });
          }
          continue;
        }
        for (String hop : r.hops()) {
          b.add(hop, EntryType.SYMLINK, Why.SYMLINK_HOP);
        }
        FsNode node = r.node().orElseThrow();
        if (TraceWorkflow.isIgnored(node.path())) {
          continue;
        }
        traced.add(node.path());
        b.add(
            node.path(), type(node), whys.get(0), whys.subList(1, whys.size()).toArray(new Why[0]));
      }
    }
    for (Dependency d : closure.dependencies()) {
      if (!traced.contains(d.finalPath())) {
        fs.get(d.finalPath()).ifPresent(n -> b.neededBy(d.finalPath(), type(n), d.neededBy()));
      }
      for (String hop : d.hops()) {
        b.add(hop, EntryType.SYMLINK, Why.SYMLINK_HOP);
      }
    }
    return b.build();
  }

  private static Why why(AccessKind kind) {
    return switch (kind) {
      case EXEC -> Why.EXEC;
      case STAT, CHDIR -> Why.STAT;
      case READLINK -> Why.READLINK;
      case LIST_DIR -> Why.LISTED;
      default -> Why.OPENED;
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
