package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.Blob;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Changes to an expanded plan made after expansion and before the layer is written: kept files
 * given new content (a package database pruned to the slim image), and kept files dropped. A
 * rewritten file keeps its node's metadata — mode, owner, mtime, PAX headers — so the layer stays
 * deterministic; only its content (and size) change.
 *
 * @param contents path → new content; a path the plan does not keep as a regular file is ignored
 * @param dropped paths to leave out; directories, and files a kept hard link needs, stay
 */
public record Rewrites(SortedMap<String, Blob> contents, SortedSet<String> dropped) {
  public Rewrites {
    contents = Collections.unmodifiableSortedMap(new TreeMap<>(contents));
    dropped = Collections.unmodifiableSortedSet(new TreeSet<>(dropped));
  }

  public static Rewrites none() {
    return new Rewrites(new TreeMap<>(), new TreeSet<>());
  }

  /** What makes the rewrites of one build, from the source filesystem and the expanded plan. */
  @FunctionalInterface
  public interface Rewriter {
    Rewrites rewrite(dev.skinnywhale.rootfs.RootFs fs, AssemblyPlan plan)
        throws java.io.IOException;
  }
}
