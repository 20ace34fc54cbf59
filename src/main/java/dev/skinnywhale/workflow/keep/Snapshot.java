package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.Source;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the contributors know about the image being slimmed.
 *
 * @param fs its filesystem
 * @param source the container or image, with the config the slim image starts from
 * @param changeSet what the container (or the image above --base) added or changed, when taken; for
 *     an image without --base, everything
 * @param traced what the probes used, resolved once ({@link TracedPaths#none()} without probes)
 * @param packages the image's package database read against its filesystem, when it has one
 * @param aboveBase whether the change set is what was added above a base (a container's image, or
 *     --base), not the whole image
 */
public record Snapshot(
    RootFs fs,
    Source source,
    Optional<SortedSet<String>> changeSet,
    TracedPaths traced,
    Optional<PackageIndex> packages,
    boolean aboveBase) {
  public Snapshot {
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(source, "source");
    changeSet = changeSet.map(c -> Collections.unmodifiableSortedSet(new TreeSet<>(c)));
    Objects.requireNonNull(traced, "traced");
    Objects.requireNonNull(packages, "packages");
  }

  /** Without a package database; a container's change set is above its image. */
  public Snapshot(
      RootFs fs, Source source, Optional<SortedSet<String>> changeSet, TracedPaths traced) {
    this(fs, source, changeSet, traced, Optional.empty(), source.kind() == Source.Kind.CONTAINER);
  }

  /** PATH and LD_LIBRARY_PATH of the image's config. */
  public LinkerEnv env() {
    return LinkerEnv.fromImageEnv(source.env());
  }
}
