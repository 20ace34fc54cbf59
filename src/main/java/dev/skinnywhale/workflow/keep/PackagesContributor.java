package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.Docs;
import dev.skinnywhale.packages.EssentialCore;
import dev.skinnywhale.packages.InstalledPackage;
import dev.skinnywhale.packages.OwnedPath;
import dev.skinnywhale.packages.PackageGlob;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Reason#PACKAGE} ({@code --keep packages}, and {@code changes}): the image's package
 * manager knows which files belong together, so a kept file brings the rest of its package — an
 * image tool's coder modules, Perl's XS modules, Python's C extensions, git's templates, a server's
 * config and its empty data directory. Kept whole (docs, man and info pages and message catalogs
 * aside, unless --keep-docs):
 *
 * <ul>
 *   <li>every package that owns a kept file (traced, profile entry, static closure, ...);
 *   <li>every package the user asked for — installed by hand ({@code Auto-Installed} not set) and
 *       not in the base: a runtime's modules often live in a dependency of it that nothing traced
 *       touched;
 *   <li>every package named by --include-package (also of the core);
 *   <li>what each of those depends on (Depends, Pre-Depends, recursively): ca-certificates brings
 *       openssl, whose /usr/lib/ssl/cert.pem is where OpenSSL looks for the CA bundle.
 * </ul>
 *
 * The distribution's essential core ({@link EssentialCore}) stays at file level, except a core
 * package of data only (no program, no library: tzdata) that an asked-for package depends on — no
 * closure finds data. --exclude-package keeps a package at file level. Asked again after every
 * closure, so each newly kept program brings its closure, and that its packages.
 */
public final class PackagesContributor implements ExpandingContributor {
  /** dpkg priorities of a Debian base system: such packages were not the user's to ask for. */
  private static final Set<String> BASE_PRIORITIES = Set.of("required", "important");

  private final boolean expandKept;
  private final boolean keepDocs;
  private final List<PackageGlob> excluded;
  private final List<PackageGlob> included;

  /**
   * @param expandKept expand the packages of kept files and the asked-for packages (false: only
   *     --include-package, for --keep traced)
   * @param keepDocs keep docs, man and info pages and message catalogs of expanded packages
   * @param excluded --exclude-package patterns
   * @param included --include-package patterns
   */
  public PackagesContributor(
      boolean expandKept, boolean keepDocs, List<String> excluded, List<String> included) {
    this.expandKept = expandKept;
    this.keepDocs = keepDocs;
    this.excluded = excluded.stream().map(PackageGlob::new).toList();
    this.included = included.stream().map(PackageGlob::new).toList();
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    if (snapshot.packages().isEmpty()) {
      return;
    }
    PackageIndex index = snapshot.packages().get();
    Map<String, InstalledPackage> whole = new LinkedHashMap<>();
    if (expandKept) {
      for (InstalledPackage p : ownersOfKept(snapshot.fs(), index, plan.build())) {
        if (!index.isCore(p) && !isExcluded(p)) {
          whole.putIfAbsent(p.key(), p);
        }
      }
      for (InstalledPackage p : index.db().packages()) {
        if (!p.auto() && !index.isCore(p) && !isExcluded(p) && isNew(snapshot, index, p)) {
          whole.putIfAbsent(p.key(), p);
        }
      }
    }
    List<InstalledPackage> named =
        index.db().packages().stream()
            .filter(p -> included.stream().anyMatch(g -> g.matches(p)))
            .toList();
    named.forEach(p -> whole.putIfAbsent(p.key(), p));
    Map<String, InstalledPackage> reached =
        EssentialCore.closure(
            index.db(),
            whole.values(),
            p -> !isExcluded(p) && (!index.isCore(p) || named.contains(p)));
    for (InstalledPackage p : reached.values()) {
      if (isExcluded(p) || (index.isCore(p) && !named.contains(p))) {
        continue;
      }
      for (OwnedPath o : index.files(p)) {
        if (keepDocs || !Docs.isDoc(o.path())) {
          plan.addResolved(o.hops(), o.path(), Reason.PACKAGE);
        }
      }
    }
  }

  /**
   * Not in the base: its files list (or one of its files) is in a change set above a base; for a
   * whole image, not of a base system's priority.
   */
  private static boolean isNew(Snapshot snapshot, PackageIndex index, InstalledPackage p) {
    if (!snapshot.aboveBase()) {
      return !p.essential() && !BASE_PRIORITIES.contains(p.priority());
    }
    Set<String> changes = snapshot.changeSet().orElse(java.util.Collections.emptySortedSet());
    if (!p.infoName().isEmpty()
        && changes.contains("/var/lib/dpkg/info/" + p.infoName() + ".list")) {
      return true;
    }
    return index.files(p).stream().anyMatch(o -> !o.isDirectory() && changes.contains(o.path()));
  }

  private boolean isExcluded(InstalledPackage p) {
    return excluded.stream().anyMatch(g -> g.matches(p));
  }

  /**
   * The owners of every non-directory node the plan keeps for a reason of its own (not only as the
   * package database), and of what each kept symlink leads to (the layer keeps that too).
   */
  static Collection<InstalledPackage> ownersOfKept(RootFs fs, PackageIndex index, KeepPlan plan) {
    Map<String, InstalledPackage> out = new LinkedHashMap<>();
    for (KeepEntry e : plan.entries().values()) {
      if (e.reasons().equals(EnumSet.of(Reason.PACKAGE_DB))) {
        continue;
      }
      Resolution r = e.recursive() ? fs.resolve(e.path()) : fs.resolveNoFollow(e.path());
      if (!r.found()) {
        continue;
      }
      Collection<FsNode> nodes =
          e.recursive() ? fs.subtree(r.finalPath()) : List.of(r.node().orElseThrow());
      for (FsNode n : nodes) {
        if (n instanceof FsNode.Directory) {
          continue;
        }
        index.owners(n.path()).forEach(p -> out.putIfAbsent(p.key(), p));
        if (n instanceof FsNode.Symlink) {
          Resolution target = fs.resolve(n.path());
          for (String hop : target.hops()) {
            index.owners(hop).forEach(p -> out.putIfAbsent(p.key(), p));
          }
          target
              .node()
              .filter(t -> !(t instanceof FsNode.Directory))
              .ifPresent(t -> index.owners(t.path()).forEach(p -> out.putIfAbsent(p.key(), p)));
        }
      }
    }
    return out.values();
  }
}
