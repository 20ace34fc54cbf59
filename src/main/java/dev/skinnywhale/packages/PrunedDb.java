package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.RootFs;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A package database cut down to what a slim image keeps: only the packages that still have files
 * in it, each listing only the files kept — so {@code dpkg -L}, {@code dpkg -S}, {@code apk info}
 * and vulnerability scanners see exactly what is there.
 *
 * @param rewritten database files with their new content (paths in the image)
 * @param dropped database files that belong to no kept package and must go
 */
public record PrunedDb(SortedMap<String, byte[]> rewritten, SortedSet<String> dropped) {
  public PrunedDb {
    TreeMap<String, byte[]> copy = new TreeMap<>();
    rewritten.forEach((k, v) -> copy.put(k, v.clone()));
    rewritten = Collections.unmodifiableSortedMap(copy);
    dropped = Collections.unmodifiableSortedSet(new TreeSet<>(dropped));
  }

  @Override
  public SortedMap<String, byte[]> rewritten() {
    TreeMap<String, byte[]> copy = new TreeMap<>();
    rewritten.forEach((k, v) -> copy.put(k, v.clone()));
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The database of {@code index} pruned to {@code layer} (the real paths the slim image has).
   *
   * @param fs the source filesystem, for the database files read only now (md5sums)
   */
  public static PrunedDb of(PackageIndex index, RootFs fs, Set<String> layer, DbLimits limits) {
    Objects.requireNonNull(layer, "layer");
    return switch (index.db().kind()) {
      case DPKG -> new DpkgPruner(index, new DbFiles(fs, limits), layer).prune();
      case APK -> new ApkPruner(index, layer).prune();
    };
  }

  /** Whether {@code p} has a file (not only directories) in the layer. */
  static boolean kept(PackageIndex index, InstalledPackage p, Set<String> layer) {
    return index.files(p).stream().anyMatch(o -> !o.isDirectory() && layer.contains(o.path()));
  }
}
