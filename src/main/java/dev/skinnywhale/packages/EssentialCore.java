package dev.skinnywhale.packages;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The distribution's essential core: what every image of it has and uses only a part of, so it is
 * kept at file level and never expanded whole (measured: expanding libc6 alone added about 10 MB to
 * every image, 8.2 MB of it gconv modules only iconv users need).
 *
 * <p>dpkg: every package marked {@code Essential: yes} or of {@code Priority: required}, and
 * everything those depend on (Depends and Pre-Depends, recursively) — libc6 is neither essential
 * nor required, but every essential package depends on it. apk: Alpine's base system (musl,
 * busybox, alpine-baselayout, apk-tools, ...) and what it depends on.
 */
public final class EssentialCore {
  /** What Alpine's minimal root filesystem installs (its "alpine-base" set). */
  static final List<String> APK_BASE =
      List.of(
          "alpine-baselayout",
          "alpine-baselayout-data",
          "alpine-keys",
          "apk-tools",
          "busybox",
          "busybox-binsh",
          "libc-utils",
          "musl",
          "musl-utils",
          "scanelf");

  private EssentialCore() {}

  /** The keys of the core packages. */
  public static Set<String> of(PackageDb db) {
    List<InstalledPackage> seeds =
        db.kind() == PackageDb.Kind.DPKG
            ? db.packages().stream().filter(InstalledPackage::requiredOrEssential).toList()
            : db.packages().stream().filter(p -> APK_BASE.contains(p.name())).toList();
    return Collections.unmodifiableSet(new TreeSet<>(closure(db, seeds, p -> true).keySet()));
  }

  /**
   * The packages {@code start} depend on, recursively, and {@code start} itself: a package is
   * entered (its own relations followed) only when {@code descend} accepts it, but listed either
   * way. Of a relation's alternatives the first that something installed satisfies is taken.
   *
   * @return key → package, in the order reached
   */
  public static Map<String, InstalledPackage> closure(
      PackageDb db, Collection<InstalledPackage> start, Predicate<InstalledPackage> descend) {
    Map<String, InstalledPackage> seen = new LinkedHashMap<>();
    Deque<InstalledPackage> work = new ArrayDeque<>();
    for (InstalledPackage p : start) {
      if (seen.putIfAbsent(p.key(), p) == null) {
        work.add(p);
      }
    }
    while (!work.isEmpty()) {
      InstalledPackage p = work.poll();
      if (!descend.test(p)) {
        continue;
      }
      for (List<String> alternatives : p.depends()) {
        for (String name : alternatives) {
          List<InstalledPackage> found = db.satisfying(name);
          if (found.isEmpty()) {
            continue;
          }
          for (InstalledPackage dep : found) {
            if (seen.putIfAbsent(dep.key(), dep) == null) {
              work.add(dep);
            }
          }
          break;
        }
      }
    }
    return seen;
  }
}
