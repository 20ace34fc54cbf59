package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What to keep, before expansion against a filesystem: paths with their reasons, recursive or not,
 * and exclude globs. Immutable; built by {@link Builder}.
 */
public final class KeepPlan {
  /**
   * Package-manager caches, logs and docs, excluded unless the caller leaves one out. Each entry is
   * separate so a command line can override them one by one.
   */
  public static final List<PathGlob> DEFAULT_EXCLUDES =
      List.of(
          new PathGlob("/var/cache/*"),
          new PathGlob("/var/lib/apt/lists/*"),
          new PathGlob("/var/log/*"),
          new PathGlob("/usr/share/doc"),
          new PathGlob("/usr/share/man"),
          new PathGlob("/usr/share/info"));

  private final SortedMap<String, KeepEntry> entries;
  private final List<PathGlob> excludes;

  private KeepPlan(SortedMap<String, KeepEntry> entries, List<PathGlob> excludes) {
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    this.excludes = List.copyOf(excludes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The entries by path. */
  public SortedMap<String, KeepEntry> entries() {
    return entries;
  }

  /** Exclude globs, in the order added. */
  public List<PathGlob> excludes() {
    return excludes;
  }

  /**
   * Collects entries; adding a path again merges its reasons (and recursive wins). {@link #build()}
   * may be called any number of times; each plan is a frozen copy.
   */
  public static final class Builder {
    private final TreeMap<String, KeepEntry> entries = new TreeMap<>();
    private final List<PathGlob> excludes = new ArrayList<>();

    private Builder() {}

    /** Keeps {@code path} (and what it needs: parents, symlink targets, hard-link targets). */
    public Builder add(String path, Reason reason) {
      return put(path, reason, false);
    }

    /**
     * Keeps a resolved path: the node it reached, for {@code reason}, and every symlink passed on
     * the way ({@link Reason#SYMLINK_HOP}) — each must be in the image for the path to work.
     */
    public Builder addResolved(Resolution resolution, Reason reason) {
      return addResolved(resolution.hops(), resolution.finalPath(), reason);
    }

    /** As {@link #addResolved(Resolution, Reason)}, for a path reached through {@code hops}. */
    public Builder addResolved(List<String> hops, String finalPath, Reason reason) {
      for (String hop : hops) {
        put(hop, Reason.SYMLINK_HOP, false);
      }
      return put(finalPath, reason, false);
    }

    /** Keeps {@code path} and everything below it. */
    public Builder addRecursive(String path, Reason reason) {
      return put(path, reason, true);
    }

    public Builder exclude(PathGlob glob) {
      excludes.add(java.util.Objects.requireNonNull(glob, "glob"));
      return this;
    }

    public KeepPlan build() {
      return new KeepPlan(entries, excludes);
    }

    private Builder put(String path, Reason reason, boolean recursive) {
      java.util.Objects.requireNonNull(reason, "reason");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("not an absolute path: " + path);
      }
      String p = FsPath.normalize(path);
      KeepEntry old = entries.get(p);
      Set<Reason> reasons = EnumSet.of(reason);
      if (old != null) {
        reasons.addAll(old.reasons());
        recursive |= old.recursive();
      }
      entries.put(p, new KeepEntry(p, reasons, recursive));
      return this;
    }
  }
}
