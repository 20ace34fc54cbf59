package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How much of one installed package a slim image kept. Files are the package's non-directory paths
 * that the image has (docs counted only when they are kept too, so "whole" means whole but for the
 * docs left out).
 *
 * @param name package name
 * @param architecture its architecture
 * @param version its version
 * @param state kept whole, in part, or dropped (none of its files kept)
 * @param files its files in the image
 * @param filesKept of those, kept
 * @param bytes content bytes of its regular files
 * @param bytesKept of those, kept
 */
public record PackageUsage(
    String name,
    String architecture,
    String version,
    State state,
    int files,
    int filesKept,
    long bytes,
    long bytesKept) {
  public enum State {
    WHOLE,
    PART,
    DROPPED
  }

  public PackageUsage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
  }

  /** One row per package of the index, in the database's order. */
  public static List<PackageUsage> of(PackageIndex index, RootFs fs, Set<String> layer) {
    List<PackageUsage> out = new ArrayList<>();
    for (InstalledPackage p : index.db().packages()) {
      int files = 0;
      int kept = 0;
      long bytes = 0;
      long bytesKept = 0;
      for (OwnedPath o : index.files(p)) {
        if (o.isDirectory()) {
          continue;
        }
        boolean isKept = layer.contains(o.path());
        if (Docs.isDoc(o.path()) && !isKept) {
          continue;
        }
        long size = fs.regularFile(o.node()).map(FsNode.RegularFile::size).orElse(0L);
        if (!(o.node() instanceof FsNode.RegularFile)) {
          size = 0; // a hard link's bytes are its target's
        }
        files++;
        bytes += size;
        if (isKept) {
          kept++;
          bytesKept += size;
        }
      }
      State state = kept == 0 ? State.DROPPED : kept == files ? State.WHOLE : State.PART;
      out.add(
          new PackageUsage(
              p.name(), p.architecture(), p.version(), state, files, kept, bytes, bytesKept));
    }
    return out;
  }
}
