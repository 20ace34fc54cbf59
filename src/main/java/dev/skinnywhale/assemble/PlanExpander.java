package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Expands a {@link KeepPlan} against a filesystem into the exact set of nodes of the slim layer.
 *
 * <h2>Selection</h2>
 *
 * Each entry is looked up as lstat does: symlinks in every component but the last are followed
 * ({@link RootFs#resolveNoFollow}), and the symlinks passed are kept ({@link Reason#SYMLINK_HOP}).
 * So {@code /lib/x86_64-linux-gnu/libc.so.6} on a usrmerge image keeps {@code /lib} (the link) and
 * {@code /usr/lib/x86_64-linux-gnu/libc.so.6}. A path that does not exist goes to {@code missing}.
 * A recursive entry keeps the whole subtree; if its path is a symlink to a directory, the link (and
 * every hop) is kept and the subtree of the directory it resolves to; if it is a symlink whose
 * target is missing (or a loop), the link itself is kept, as a non-recursive entry would be.
 *
 * <h2>Excludes</h2>
 *
 * An exclude glob drops a selected node when the glob matches the entry's path as written, or the
 * node's real path (a glob naming a directory matches everything below it, so an excluded directory
 * drops its whole subtree from a recursive entry). Excludes apply to selection only, whatever the
 * entry's reason.
 *
 * <h2>Closure</h2>
 *
 * For every kept node, whatever brought it in, and never subject to excludes, since a kept node
 * does not work without them:
 *
 * <ul>
 *   <li>every ancestor directory, with its real metadata ({@link Reason#PARENT}; the root itself is
 *       not part of the layer);
 *   <li>a symlink: every hop of its full resolution and the node it finally names ({@link
 *       Reason#SYMLINK_HOP}), transitively; a symlink to a directory keeps that directory node
 *       only, not its contents; a dangling link is kept as it is;
 *   <li>a hard link: its target, with the link's reasons (a missing target goes to {@code
 *       missing}).
 * </ul>
 *
 * A node whose ancestor is not a directory in the filesystem (a malformed archive put it under a
 * symlink) cannot be written and goes to {@code missing}. The result depends only on the filesystem
 * and the plan: reasons are accumulated to a fixed point and everything is sorted.
 */
public final class PlanExpander {

  public AssemblyPlan expand(RootFs fs, KeepPlan plan) {
    State st = new State(fs);
    List<PathGlob> excludes = plan.excludes();
    for (KeepEntry e : plan.entries().values()) {
      if (excluded(excludes, e.path())) {
        continue;
      }
      boolean recursive = e.recursive();
      Resolution r = recursive ? fs.resolve(e.path()) : fs.resolveNoFollow(e.path());
      if (!r.found() && recursive) {
        // A recursive entry whose path is a link to nothing (or a loop): the link itself.
        Resolution link = fs.resolveNoFollow(e.path());
        if (link.node().orElse(null) instanceof FsNode.Symlink) {
          r = link;
          recursive = false;
        }
      }
      if (!r.found()) {
        st.missing.add(e.path());
        continue;
      }
      if (excluded(excludes, r.finalPath())) {
        continue;
      }
      for (String hop : r.hops()) {
        st.keep(hop, EnumSet.of(Reason.SYMLINK_HOP));
      }
      if (recursive) {
        for (FsNode n : fs.subtree(r.finalPath())) {
          if (!excluded(excludes, n.path())) {
            st.keep(n.path(), e.reasons());
          }
        }
      } else {
        st.keep(r.finalPath(), e.reasons());
      }
    }
    st.close();

    List<FsNode> nodes = new ArrayList<>();
    List<KeptFile> kept = new ArrayList<>();
    for (Map.Entry<String, EnumSet<Reason>> k : st.kept.entrySet()) {
      String path = k.getKey();
      if (path.equals(FsPath.ROOT) || st.unreachable.contains(path)) {
        continue;
      }
      FsNode node = fs.get(path).orElseThrow();
      nodes.add(node);
      long size = node instanceof FsNode.RegularFile f ? f.size() : 0;
      kept.add(new KeptFile(path, k.getValue(), size));
    }
    TreeSet<String> missing = new TreeSet<>(st.missing);
    missing.addAll(st.unreachable);
    return new AssemblyPlan(nodes, kept, new ArrayList<>(missing));
  }

  private static boolean excluded(List<PathGlob> excludes, String path) {
    for (PathGlob g : excludes) {
      if (g.matches(path)) {
        return true;
      }
    }
    return false;
  }

  private static final class State {
    final RootFs fs;
    final TreeMap<String, EnumSet<Reason>> kept = new TreeMap<>();
    final Set<String> missing = new TreeSet<>();
    final Set<String> unreachable = new TreeSet<>();
    final Deque<String> work = new ArrayDeque<>();

    State(RootFs fs) {
      this.fs = fs;
    }

    /** Adds reasons; a node whose reasons grew is (re)examined, so the result is a fixed point. */
    void keep(String path, Set<Reason> reasons) {
      EnumSet<Reason> current = kept.computeIfAbsent(path, p -> EnumSet.noneOf(Reason.class));
      boolean isNew = current.isEmpty();
      if (current.addAll(reasons) || isNew) {
        work.add(path);
      }
    }

    void close() {
      while (!work.isEmpty()) {
        String path = work.poll();
        Optional<FsNode> node = fs.get(path);
        if (node.isEmpty()) {
          missing.add(path);
          continue;
        }
        for (String a : FsPath.ancestors(path)) {
          if (a.equals(FsPath.ROOT)) {
            continue;
          }
          if (fs.get(a).orElse(null) instanceof FsNode.Directory) {
            keep(a, EnumSet.of(Reason.PARENT));
          } else {
            unreachable.add(path);
          }
        }
        if (node.get() instanceof FsNode.Symlink) {
          Resolution r = fs.resolve(path);
          for (String hop : r.hops()) {
            if (!hop.equals(path)) {
              keep(hop, EnumSet.of(Reason.SYMLINK_HOP));
            }
          }
          if (r.found() && !r.finalPath().equals(path)) {
            keep(r.finalPath(), EnumSet.of(Reason.SYMLINK_HOP));
          }
        } else if (node.get() instanceof FsNode.HardLink h) {
          if (fs.get(h.target()).orElse(null) instanceof FsNode.RegularFile) {
            keep(h.target(), kept.get(path));
          } else {
            // A link to nothing, to itself or to a non-file (a malformed archive): it cannot be
            // written as a hard link, so it is left out and reported.
            missing.add(h.target());
            unreachable.add(path);
          }
        }
      }
    }
  }
}
