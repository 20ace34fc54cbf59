package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A keep-plan expanded against a filesystem.
 *
 * @param nodes exactly what goes into the layer, sorted by path (the root excluded)
 * @param kept one row per node, same order, with its reasons and size
 * @param missing plan paths that are not in the filesystem (and hard-link targets that are not),
 *     sorted; not fatal
 */
public record AssemblyPlan(List<FsNode> nodes, List<KeptFile> kept, List<String> missing) {
  public AssemblyPlan {
    nodes = List.copyOf(nodes);
    kept = List.copyOf(kept);
    missing = List.copyOf(missing);
  }

  /** Files and bytes kept for one reason. */
  public record Totals(long files, long bytes) {}

  /**
   * Per reason, how many nodes and content bytes carry it. A node kept for several reasons counts
   * under each, so the rows may add up to more than the layer.
   */
  public Map<Reason, Totals> totalsByReason() {
    Map<Reason, Totals> out = new EnumMap<>(Reason.class);
    for (KeptFile k : kept) {
      for (Reason r : k.reasons()) {
        Totals t = out.getOrDefault(r, new Totals(0, 0));
        out.put(r, new Totals(t.files() + 1, t.bytes() + k.size()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Content bytes of the whole layer (each file once). */
  public long totalBytes() {
    return kept.stream().mapToLong(KeptFile::size).sum();
  }

  /** The real paths of every node of the layer. */
  public Set<String> paths() {
    Set<String> out = new TreeSet<>();
    nodes.forEach(n -> out.add(n.path()));
    return Collections.unmodifiableSet(out);
  }

  /**
   * This plan with {@code rewrites} applied: rewritten regular files carry their new content with
   * their own metadata; dropped files (not directories, not a kept hard link's target) are left
   * out. A new value; this one is unchanged.
   */
  public AssemblyPlan rewritten(Rewrites rewrites) {
    Set<String> linkTargets = new TreeSet<>();
    for (FsNode n : nodes) {
      if (n instanceof FsNode.HardLink h && !rewrites.dropped().contains(n.path())) {
        linkTargets.add(h.target());
      }
    }
    List<FsNode> outNodes = new ArrayList<>();
    List<KeptFile> outKept = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      FsNode n = nodes.get(i);
      KeptFile k = kept.get(i);
      if (rewrites.dropped().contains(n.path())
          && !(n instanceof FsNode.Directory)
          && !linkTargets.contains(n.path())) {
        continue;
      }
      var content = rewrites.contents().get(n.path());
      if (content != null && n instanceof FsNode.RegularFile f) {
        n = new FsNode.RegularFile(f.path(), f.meta(), content);
        k = new KeptFile(k.path(), k.reasons(), content.size());
      }
      outNodes.add(n);
      outKept.add(k);
    }
    return new AssemblyPlan(outNodes, outKept, missing);
  }
}
