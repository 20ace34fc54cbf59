package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
}
