package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.packages.DpkgReader;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Snapshots of generated images with a dpkg database, for the package contributors' tests. */
final class PackageSnapshots {
  private PackageSnapshots() {}

  /** A container-like snapshot: {@code changes} is what was added above the base. */
  static Snapshot aboveBase(RootFs fs, String... changes) {
    return new Snapshot(
        fs,
        TraceFixture.source(),
        Optional.of(new TreeSet<>(java.util.List.of(changes))),
        TracedPaths.none(),
        new DpkgReader().read(fs).map(db -> PackageIndex.of(db, fs)),
        true);
  }

  /** An image without --base: the change set is everything. */
  static Snapshot wholeImage(RootFs fs, boolean withDb) {
    SortedSet<String> all = new TreeSet<>();
    fs.nodes().forEach(n -> all.add(n.path()));
    return new Snapshot(
        fs,
        TraceFixture.source(),
        Optional.of(all),
        TracedPaths.none(),
        withDb ? new DpkgReader().read(fs).map(db -> PackageIndex.of(db, fs)) : Optional.empty(),
        false);
  }
}
