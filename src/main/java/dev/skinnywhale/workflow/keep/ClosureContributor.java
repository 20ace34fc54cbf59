package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.ClosureResolver;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.linker.DependencyKind;
import dev.skinnywhale.linker.Unresolved;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link Reason#STATIC_CLOSURE}: the shared libraries and interpreters of every regular file the
 * plan keeps, resolved inside the image as its own dynamic linker would, with the loader's own
 * configuration. It runs after every other contributor, on what they kept.
 *
 * <p>A needed library that no search finds but that the image keeps under that file name anyway
 * (the JDK's libjvm.so, which the launcher dlopens from lib/server before anything needs it) is
 * satisfied at run time the way glibc matches an already loaded object; it is reported with --debug
 * only.
 */
public final class ClosureContributor implements KeepContributor {
  private ClosureResolver resolver;
  private RootFs resolverFs;

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    resolve(snapshot, plan, reporter);
  }

  /** Adds the closure of what the plan keeps and returns it, with what could not be resolved. */
  public Closure resolve(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    return report(snapshot, plan, add(snapshot, plan), reporter);
  }

  /**
   * Adds the closure of what the plan keeps now and returns it as found, without reporting: the
   * plan step calls this again when expanding contributors grew the plan, and reports once, at the
   * end ({@link #report}). The files read and the searches made are remembered between calls.
   */
  public Closure add(Snapshot snapshot, KeepPlan.Builder plan) {
    RootFs fs = snapshot.fs();
    if (resolver == null || resolverFs != fs) {
      resolver = new ClosureResolver(fs, snapshot.env());
      resolverFs = fs;
    }
    Closure closure = resolver.closureOf(roots(fs, plan.build()));
    for (Dependency d : closure.dependencies()) {
      List<String> hops = new ArrayList<>(d.hops());
      if (!d.path().equals(d.finalPath())) {
        hops.add(d.path());
      }
      plan.addResolved(hops, d.finalPath(), Reason.STATIC_CLOSURE);
    }
    if (!closure.dependencies().isEmpty()) {
      addLoaderConfig(plan, fs);
    }
    return closure;
  }

  /**
   * Warns about what the closure could not resolve (each missing library and requester once) and
   * about broken files; returns the closure with only what stays unresolved.
   */
  public Closure report(
      Snapshot snapshot, KeepPlan.Builder plan, Closure closure, Reporter reporter) {
    KeepPlan built = plan.build();
    List<String> roots = roots(snapshot.fs(), built);
    List<Unresolved> unresolved = reportUnresolved(roots, closure, onlyAsPackage(built), reporter);
    closure
        .broken()
        .forEach(b -> reporter.warn("file skipped", "skipped " + b.path() + ": " + b.reason()));
    return new Closure(closure.dependencies(), unresolved, closure.broken());
  }

  /** Every regular file the plan keeps (recursive entries expanded): the closure's roots. */
  static List<String> roots(RootFs fs, KeepPlan plan) {
    SortedSet<String> roots = new TreeSet<>();
    for (var entry : plan.entries().values()) {
      // Resolve through symlinked directories (/lib -> usr/lib) to the real node.
      var resolved = fs.resolve(entry.path());
      if (!resolved.found()) {
        continue;
      }
      Collection<FsNode> nodes =
          entry.recursive()
              ? fs.subtree(resolved.finalPath())
              : List.of(resolved.node().orElseThrow());
      for (FsNode node : nodes) {
        if (node instanceof FsNode.RegularFile || node instanceof FsNode.HardLink) {
          roots.add(node.path());
        }
      }
    }
    return new ArrayList<>(roots);
  }

  /**
   * The dynamic loader reads its own configuration at every start: glibc's /etc/ld.so.cache (a
   * library in a directory that only ld.so.conf names is found through it alone) and musl's
   * /etc/ld-musl-ARCH.path. They are kept with the closure whenever the image has them.
   */
  private static void addLoaderConfig(KeepPlan.Builder plan, RootFs fs) {
    if (fs.get("/etc/ld.so.cache").isPresent()) {
      plan.add("/etc/ld.so.cache", Reason.STATIC_CLOSURE);
    }
    for (FsNode node : fs.children("/etc")) {
      String name = FsPath.name(node.path());
      if (name.startsWith("ld-musl-") && name.endsWith(".path")) {
        plan.add(node.path(), Reason.STATIC_CLOSURE);
      }
    }
  }

  /** Reasons that say only "part of a package kept whole" (and what such a file needs). */
  private static final java.util.Set<Reason> PACKAGE_ONLY =
      java.util.EnumSet.of(Reason.PACKAGE, Reason.PACKAGE_DB, Reason.SYMLINK_HOP, Reason.PARENT);

  /** Paths the plan keeps only as part of a package kept whole. */
  private static java.util.Set<String> onlyAsPackage(KeepPlan plan) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (var e : plan.entries().values()) {
      if (e.reasons().contains(Reason.PACKAGE) && PACKAGE_ONLY.containsAll(e.reasons())) {
        out.add(e.path());
      }
    }
    return out;
  }

  /**
   * Warns about each missing (library, requester) once; returns what stays unresolved. What a file
   * kept only as part of its package lacks is said with --debug only: the closure is resolved in
   * the source image, so that file is as broken there (an example script's {@code
   * #!/usr/local/bin/python}, a plugin for a library not installed).
   */
  private static List<Unresolved> reportUnresolved(
      List<String> roots, Closure closure, java.util.Set<String> quiet, Reporter reporter) {
    Map<String, String> keptByName = new TreeMap<>();
    for (String root : roots) {
      keptByName.putIfAbsent(FsPath.name(root), root);
    }
    for (Dependency d : closure.dependencies()) {
      keptByName.putIfAbsent(FsPath.name(d.finalPath()), d.finalPath());
    }
    List<Unresolved> unresolved = new ArrayList<>();
    SortedSet<String> reported = new TreeSet<>();
    for (Unresolved u : closure.unresolved()) {
      if (u.kind() == DependencyKind.SCRIPT_INTERPRETER && !u.name().startsWith("/")) {
        // "#!./perl" and the like: relative to a working directory nobody knows.
        reporter.debug("relative script interpreter " + u.name() + " of " + u.neededBy());
        continue;
      }
      if (quiet.contains(u.neededBy())) {
        reporter.debug(
            u.name()
                + " (needed by "
                + u.neededBy()
                + ", kept as part of its package) is not in the image either");
        continue;
      }
      String kept = keptByName.get(u.name());
      if (kept != null) {
        reporter.debug(
            u.name() + " (needed by " + u.neededBy() + ") is found at run time as " + kept);
        continue;
      }
      if (reported.add(u.name() + "\0" + u.neededBy())) {
        unresolved.add(u);
        reporter.warn(
            "library not found",
            u.name() + " (needed by " + u.neededBy() + ") not found: " + u.reason());
      }
    }
    return unresolved;
  }
}
