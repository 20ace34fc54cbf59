package dev.skinnywhale.image;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarFile;
import dev.skinnywhale.tar.TarFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Flattens an image's layers into one filesystem, as the engine's overlay would show it and as
 * go-containerregistry's {@code mutate.Extract} does: layers are read top-down, and the first
 * (highest) entry for a path wins.
 *
 * <ul>
 *   <li>A whiteout {@code DIR/.wh.NAME} hides {@code DIR/NAME} and everything below it in the
 *       layers beneath its own (never in its own layer, never above).
 *   <li>An opaque marker {@code DIR/.wh..wh..opq} hides everything below {@code DIR} in the layers
 *       beneath; {@code DIR} itself stays (mutate.Extract does not implement this one).
 *   <li>A non-directory hides what lower layers have below its path (a file that replaced a
 *       directory); a directory merges with lower directories of the same path.
 *   <li>A hard link's content is what its target was in the layers up to the link's own: when the
 *       flattened target is that same entry the link stays a link; when a higher layer replaced or
 *       removed the target, the link becomes a file with the content it had.
 *   <li>Within one layer a later entry for a path replaces an earlier one; other {@code .wh..wh.}
 *       names (aufs bookkeeping) are dropped.
 * </ul>
 *
 * Nothing is extracted: the nodes' blobs are windows on the layer tars.
 */
public final class LayerFlattener {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int MAX_LINK_DEPTH = 40;

  /** One layer's entries (last wins), its whiteouts and its opaque directories. */
  private record Layer(
      String name,
      Map<String, TarFile.Member> entries,
      Set<String> whiteouts,
      Set<String> opaque) {}

  private enum Seen {
    DIRECTORY,
    OTHER,
    REMOVED
  }

  /** The filesystem of {@code layers}, bottom layer first. */
  public RootFs flatten(List<LayerTar> layers) throws IOException {
    List<Layer> index = new ArrayList<>();
    for (LayerTar layer : layers) {
      index.add(index(layer));
    }
    Map<String, Seen> seen = new HashMap<>();
    Set<String> opaque = new HashSet<>();
    Map<String, TarFile.Member> chosen = new LinkedHashMap<>();
    Map<String, Integer> layerOf = new HashMap<>();
    for (int i = index.size() - 1; i >= 0; i--) {
      Layer layer = index.get(i);
      Map<String, Seen> mine = new HashMap<>(); // a layer hides nothing of its own
      for (TarFile.Member m : layer.entries().values()) {
        String path = m.entry().path();
        if (seen.containsKey(path) || hidden(path, seen, opaque)) {
          continue;
        }
        mine.put(path, m.entry().type() == TarEntry.Type.DIRECTORY ? Seen.DIRECTORY : Seen.OTHER);
        chosen.put(path, m);
        layerOf.put(path, i);
      }
      seen.putAll(mine);
      for (String w : layer.whiteouts()) {
        seen.putIfAbsent(w, Seen.REMOVED);
      }
      opaque.addAll(layer.opaque());
    }
    for (Map.Entry<String, TarFile.Member> e : chosen.entrySet()) {
      checkParents(e.getKey(), chosen, index.get(layerOf.get(e.getKey())).name());
    }
    List<FsNode> nodes = new ArrayList<>(chosen.size());
    for (Map.Entry<String, TarFile.Member> e : chosen.entrySet()) {
      TarFile.Member m = e.getValue();
      if (m.entry().type() != TarEntry.Type.HARD_LINK) {
        nodes.add(m.node());
        continue;
      }
      nodes.add(hardLink(m, layerOf.get(e.getKey()), index, chosen));
    }
    return RootFs.of(nodes);
  }

  /**
   * An entry must lie below directories: one below a symlink (the tar-slip of extractors, which
   * would write through the link) or below a file cannot be part of any filesystem.
   */
  private static void checkParents(String path, Map<String, TarFile.Member> chosen, String layer) {
    Optional<String> parent = FsPath.parent(path);
    if (parent.isEmpty()) {
      return;
    }
    TarFile.Member p = chosen.get(parent.get());
    if (p != null && p.entry().type() != TarEntry.Type.DIRECTORY) {
      throw new ImageFormatException(
          "layer "
              + layer
              + ": "
              + path
              + " lies below "
              + parent.get()
              + ", which is "
              + (p.entry().type() == TarEntry.Type.SYMLINK
                  ? "a symlink (to " + p.entry().link() + ")"
                  : "not a directory"));
    }
  }

  /** Whether a higher layer removed {@code path} or an ancestor, or made an ancestor opaque. */
  private static boolean hidden(String path, Map<String, Seen> seen, Set<String> opaque) {
    for (Optional<String> a = FsPath.parent(path); a.isPresent(); a = FsPath.parent(a.get())) {
      Seen s = seen.get(a.get());
      if (s == Seen.OTHER || s == Seen.REMOVED || opaque.contains(a.get())) {
        return true;
      }
    }
    return false;
  }

  private static FsNode hardLink(
      TarFile.Member link, int layer, List<Layer> index, Map<String, TarFile.Member> chosen) {
    String target = link.entry().link();
    Optional<TarFile.Member> content = visibleAt(target, layer, index, 0);
    if (content.isEmpty() || chosen.get(content.get().entry().path()) == content.get()) {
      return link.node(); // the target is there as it was (or dangles, as in the source)
    }
    TarFile.Member c = content.get();
    TarEntry t = c.entry();
    TarEntry asFile =
        new TarEntry(
            link.entry().path(),
            t.type(),
            t.size(),
            t.meta(),
            t.link(),
            t.devMajor(),
            t.devMinor());
    return new TarFile.Member(asFile, c.offset(), c.content()).node();
  }

  /** The entry that {@code path} named as seen from layer {@code top} down, links followed. */
  private static Optional<TarFile.Member> visibleAt(
      String path, int top, List<Layer> index, int depth) {
    if (depth > MAX_LINK_DEPTH) {
      return Optional.empty();
    }
    for (int k = top; k >= 0; k--) {
      Layer layer = index.get(k);
      TarFile.Member m = layer.entries().get(path);
      if (m != null) {
        return m.entry().type() == TarEntry.Type.HARD_LINK
            ? visibleAt(m.entry().link(), k, index, depth + 1)
            : Optional.of(m);
      }
      if (layer.whiteouts().contains(path)) {
        return Optional.empty();
      }
      for (Optional<String> a = FsPath.parent(path); a.isPresent(); a = FsPath.parent(a.get())) {
        TarFile.Member above = layer.entries().get(a.get());
        if (layer.whiteouts().contains(a.get())
            || layer.opaque().contains(a.get())
            || (above != null && above.entry().type() != TarEntry.Type.DIRECTORY)) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Layer index(LayerTar layer) throws IOException {
    List<TarFile.Member> members;
    try {
      members = layer.file().members(layer.offset(), layer.length());
    } catch (TarFormatException e) {
      throw new ImageFormatException("layer " + layer.name() + ": " + e.getMessage(), e);
    }
    Map<String, TarFile.Member> entries = new LinkedHashMap<>();
    Set<String> whiteouts = new HashSet<>();
    Set<String> opaque = new HashSet<>();
    for (TarFile.Member m : members) {
      String path = m.entry().path();
      String name = m.entry().name();
      if (name.startsWith(WHITEOUT)) {
        String dir = m.entry().parent();
        if (name.equals(OPAQUE)) {
          opaque.add(dir);
        } else if (!name.startsWith(WHITEOUT + WHITEOUT)) {
          String removed = name.substring(WHITEOUT.length());
          if (!removed.isEmpty() && !removed.equals(".") && !removed.equals("..")) {
            whiteouts.add(FsPath.resolve(dir, removed));
          }
        }
        continue;
      }
      entries.remove(path); // a later entry for the same path replaces the earlier one
      entries.put(path, m);
    }
    return new Layer(layer.name(), entries, whiteouts, opaque);
  }
}
