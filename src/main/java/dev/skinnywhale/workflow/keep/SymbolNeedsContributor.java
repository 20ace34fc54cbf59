package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.ClosureResolver;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.linker.DependencyKind;
import dev.skinnywhale.linker.Unresolved;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileApplier;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the kept programs load at run time, as their imported symbols say. It resolves the static
 * closure of what the plan keeps so far (with the dlopen literals), then:
 *
 * <ul>
 *   <li>{@link Reason#DLOPEN_LITERAL}: the libraries named by string literals of objects that
 *       import {@code dlopen} and found where those objects' libraries are (--debug lists them and
 *       the names the image lacks);
 *   <li>{@link Reason#SYMBOL_NEED}: the entries of every known profile with symbol markers that one
 *       of the kept ELF files (or their libraries) imports, when the image matches the profile's
 *       markers ({@link ProfileApplier#bySymbols}): gconv for {@code iconv_open}, NSS for {@code
 *       getaddrinfo} and {@code getpwnam}, the locales for {@code setlocale}.
 * </ul>
 *
 * <p>It runs after every contributor that keeps programs (the script closure included) and before
 * the static closure, which then brings the libraries of what it added.
 */
public final class SymbolNeedsContributor implements ExpandingContributor {
  private final List<ProfileStore.Stored> needs;

  /** The profiles with symbol markers to choose from (user ones replacing shipped ones). */
  public SymbolNeedsContributor(List<ProfileStore.Stored> needs) {
    this.needs = List.copyOf(needs);
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    List<String> roots = KeptFiles.of(fs, plan.build());
    if (roots.isEmpty()) {
      return;
    }
    ClosureResolver resolver = new ClosureResolver(fs, snapshot.env(), true);
    Closure closure = resolver.closureOf(roots);
    SortedSet<String> elfs = new TreeSet<>(roots);
    for (Dependency d : closure.dependencies()) {
      elfs.add(d.finalPath());
      if (d.kind() != DependencyKind.DLOPEN_LITERAL) {
        continue;
      }
      List<String> hops = new ArrayList<>(d.hops());
      if (!d.path().equals(d.finalPath())) {
        hops.add(d.path());
      }
      plan.addResolved(hops, d.finalPath(), Reason.DLOPEN_LITERAL);
      reporter.debug(
          "dlopen-literal: keeps "
              + d.finalPath()
              + " (\""
              + d.name()
              + "\" in "
              + d.neededBy()
              + ")");
    }
    for (Unresolved u : closure.unresolved()) {
      if (u.kind() == DependencyKind.DLOPEN_LITERAL) {
        reporter.debug(
            "dlopen-literal: \"" + u.name() + "\" in " + u.neededBy() + " is not in the image");
      }
    }
    if (needs.isEmpty()) {
      return;
    }
    TreeMap<String, List<String>> imports = new TreeMap<>();
    for (String path : elfs) {
      resolver
          .elf(path)
          .filter(info -> !info.imports().isEmpty())
          .ifPresent(info -> imports.put(path, info.imports()));
    }
    List<Profile> candidates = needs.stream().map(ProfileStore.Stored::profile).toList();
    List<String> said = new ArrayList<>();
    // the fixed point calls this again with what it kept: say only what a round adds
    java.util.Set<String> kept = plan.build().entries().keySet();
    for (ProfileApplier.SymbolMatch m : ProfileApplier.bySymbols(fs, candidates, imports)) {
      ProfileApplier.Applied applied = ProfileApplier.apply(fs, m.profile());
      if (applied.paths().stream().anyMatch(path -> !kept.contains(path))) {
        said.add(m.profile().name() + " (" + m.symbol() + " in " + m.importer() + ")");
      }
      applied.paths().forEach(path -> plan.add(path, Reason.SYMBOL_NEED));
      if (!applied.missing().isEmpty()) {
        reporter.debug(
            "symbol need " + m.profile().name() + ": not in the image: " + applied.missing());
      }
    }
    if (!said.isEmpty()) {
      reporter.info("kept for imported symbols: " + String.join(", ", said));
    }
  }
}
