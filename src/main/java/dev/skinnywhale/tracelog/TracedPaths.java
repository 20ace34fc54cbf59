package dev.skinnywhale.tracelog;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the probes used, resolved once against the image they ran in: every node they found (with
 * the symlinks passed on the way), the directories they made things in, and the programs they ran.
 * The keep-plan and the profile builder both read this one result, so a trace means the same thing
 * to both.
 *
 * <p>The rules: a path counts only when an access to it succeeded and it is not under an ignored
 * root (the kernel's, the devices, the tracer's own); a path looked at only with readlink is the
 * link itself, any other is followed as stat does; a path that is not in the image but was made
 * during the run stands for the nearest directory on its way that the image has (not the root); a
 * bare program name (LD_DEBUG names programs as they were run) and every program given to {@link
 * #resolve} are found on the image's PATH as exec would.
 */
public final class TracedPaths {
  /** How a traced node was used. */
  public enum Use {
    /** Executed (or started by the probe as its program). */
    EXEC,
    /** Opened, or mapped by the dynamic linker. */
    OPENED,
    /** Looked at: stat, access, chdir. */
    STAT,
    /** Read as a symlink. */
    READLINK,
    /** A directory that was listed. */
    LISTED,
    /** A directory something was made in or removed from during the run. */
    CREATED_IN
  }

  /**
   * One node the probes needed.
   *
   * @param path the node's real path in the image
   * @param hops the symlinks passed on the way to it, sorted
   * @param node the node itself
   * @param uses how it was used, never empty
   */
  public record Entry(String path, SortedSet<String> hops, FsNode node, Set<Use> uses) {
    public Entry {
      Objects.requireNonNull(path, "path");
      hops = Collections.unmodifiableSortedSet(new TreeSet<>(hops));
      Objects.requireNonNull(node, "node");
      if (uses.isEmpty()) {
        throw new IllegalArgumentException("no use of " + path);
      }
      uses = Collections.unmodifiableSet(EnumSet.copyOf(uses));
    }
  }

  private final SortedMap<String, Entry> entries;
  private final SortedSet<String> strayHops;

  private TracedPaths(SortedMap<String, Entry> entries, SortedSet<String> strayHops) {
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    this.strayHops = Collections.unmodifiableSortedSet(new TreeSet<>(strayHops));
  }

  /** Nothing traced. */
  public static TracedPaths none() {
    return new TracedPaths(new TreeMap<>(), new TreeSet<>());
  }

  /**
   * Resolves what the probes did in {@code fs}.
   *
   * @param accesses one access set per probe run
   * @param programs programs the probes started that no trace may show (the probe's own argv[0], a
   *     script's interpreter, which the kernel opens inside execve): found as exec would
   * @param imagePath the image's PATH, for bare program names
   * @param ignoredRoots directories whose contents are never kept
   */
  public static TracedPaths resolve(
      RootFs fs,
      Collection<AccessSet> accesses,
      Collection<String> programs,
      List<String> imagePath,
      List<String> ignoredRoots) {
    Collector c = new Collector(fs, ignoredRoots);
    for (AccessSet set : accesses) {
      for (Map.Entry<String, Set<Access>> e : set.byPath().entrySet()) {
        c.access(e.getKey(), e.getValue(), imagePath);
      }
    }
    for (String program : programs) {
      fs.findProgram(program, imagePath).ifPresent(r -> c.add(r, Use.EXEC));
    }
    return new TracedPaths(c.entries, c.strayHops);
  }

  /** Every entry, by real path. */
  public SortedMap<String, Entry> entries() {
    return entries;
  }

  /**
   * Symlinks of the image passed on the way to a node that is not kept (a link into /proc, such as
   * /etc/mtab): the link itself is part of the image and still needed.
   */
  public SortedSet<String> strayHops() {
    return strayHops;
  }

  public int size() {
    return entries.size();
  }

  /** Whether {@code path} lies under one of {@code roots} (or is one). */
  public static boolean isUnderAny(String path, List<String> roots) {
    return roots.stream().anyMatch(root -> FsPath.isUnder(path, root));
  }

  /**
   * The nearest ancestor of {@code path} (not "/") that resolves to a directory in the image and is
   * not ignored; empty when the first existing ancestor is something else.
   */
  public static Optional<Resolution> existingAncestor(
      RootFs fs, String path, List<String> ignoredRoots) {
    List<String> ancestors = FsPath.ancestors(path);
    for (int i = ancestors.size() - 1; i >= 1; i--) {
      Resolution dir = fs.resolve(ancestors.get(i));
      if (dir.found()) {
        return dir.node().orElseThrow() instanceof FsNode.Directory
                && !isUnderAny(dir.finalPath(), ignoredRoots)
            ? Optional.of(dir)
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether an access made (or removed) its path, so the directory it is in is needed. */
  public static boolean creates(AccessKind kind) {
    return kind == AccessKind.OPEN_WRITE || kind == AccessKind.CREATE || kind == AccessKind.REMOVE;
  }

  private static final class Collector {
    final RootFs fs;
    final List<String> ignored;
    final TreeMap<String, Entry> entries = new TreeMap<>();
    final TreeSet<String> strayHops = new TreeSet<>();

    Collector(RootFs fs, List<String> ignored) {
      this.fs = fs;
      this.ignored = List.copyOf(ignored);
    }

    void access(String path, Set<Access> accesses, List<String> imagePath) {
      Set<Use> uses = EnumSet.noneOf(Use.class);
      boolean onlyReadlink = true;
      boolean created = false;
      for (Access a : accesses) {
        if (a.success()) {
          uses.add(use(a.kind()));
          onlyReadlink &= a.kind() == AccessKind.READLINK;
          created |= creates(a.kind());
        }
      }
      if (uses.isEmpty()) {
        return;
      }
      if (!path.startsWith("/")) {
        if (uses.contains(Use.EXEC) && !path.isEmpty() && !path.contains("/")) {
          fs.findProgram(path, imagePath).ifPresent(r -> add(r, Use.EXEC));
        }
        return;
      }
      String normal = FsPath.normalize(path);
      if (isUnderAny(normal, ignored)) {
        return;
      }
      Resolution r = onlyReadlink ? fs.resolveNoFollow(normal) : fs.resolve(normal);
      if (r.found()) {
        uses.forEach(u -> add(r, u));
      } else if (isUnderAny(r.finalPath(), ignored)) {
        // A link into /proc or /dev, which an image holds empty: the link itself is needed.
        strayHops.addAll(r.hops());
      } else if (created) {
        existingAncestor(fs, normal, ignored).ifPresent(dir -> add(dir, Use.CREATED_IN));
      }
    }

    void add(Resolution r, Use use) {
      FsNode node = r.node().orElseThrow();
      if (isUnderAny(node.path(), ignored)) {
        strayHops.addAll(r.hops());
        return;
      }
      Entry old = entries.get(node.path());
      Set<Use> uses = EnumSet.of(use);
      SortedSet<String> hops = new TreeSet<>(r.hops());
      if (old != null) {
        uses.addAll(old.uses());
        hops.addAll(old.hops());
      }
      entries.put(node.path(), new Entry(node.path(), hops, node, uses));
    }

    private static Use use(AccessKind kind) {
      return switch (kind) {
        case EXEC -> Use.EXEC;
        case STAT, CHDIR -> Use.STAT;
        case READLINK -> Use.READLINK;
        case LIST_DIR -> Use.LISTED;
        default -> Use.OPENED;
      };
    }
  }
}
