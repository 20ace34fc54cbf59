package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.assemble.Rewrites;
import dev.skinnywhale.packages.DbLimits;
import dev.skinnywhale.packages.PackageDbException;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.packages.PrunedDb;
import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A truthful package database in the slim image: the database files the plan keeps are rewritten to
 * list only the packages that still have files in the layer, each with only the files kept; the
 * info files of the others are dropped ({@link PrunedDb}).
 */
public record PrunePackageDb(Run run, PackageIndex index) implements Rewrites.Rewriter {
  @Override
  public Rewrites rewrite(RootFs fs, AssemblyPlan plan) {
    Set<String> layer = plan.paths();
    PrunedDb pruned;
    try {
      pruned = PrunedDb.of(index, fs, layer, DbLimits.DEFAULT);
    } catch (PackageDbException e) {
      throw new UnusableInputException("pruning the package database: " + e.getMessage(), e);
    }
    TreeMap<String, Blob> contents = new TreeMap<>();
    pruned
        .rewritten()
        .forEach(
            (path, bytes) -> {
              if (layer.contains(path)) {
                contents.put(path, new BytesBlob(bytes));
              }
            });
    TreeSet<String> dropped = new TreeSet<>(pruned.dropped());
    dropped.retainAll(layer);
    run.reporter()
        .debug(
            "package database: "
                + contents.size()
                + " files rewritten, "
                + dropped.size()
                + " dropped");
    return new Rewrites(contents, dropped);
  }
}
