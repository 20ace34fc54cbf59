package dev.skinnywhale.image;

import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarFormatException;
import dev.skinnywhale.tar.TarStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A few paths as an image's own layers have them, read from a {@code docker save} stream (the
 * docker-archive format; a newer engine's OCI-compatible save carries the same {@code
 * manifest.json}) with headers only: content is skipped, nothing is spooled, and only entries of
 * the wanted paths and whiteouts that could hide them are remembered. The layers are then looked at
 * top down, as {@link LayerFlattener} would: the top-most entry of a path wins, a whiteout of it or
 * of an ancestor, or an opaque directory above it, hides what lower layers have.
 *
 * <p>A member that is not a readable tar (a config, or a compressed layer) is not a layer here: a
 * path only it holds is reported missing.
 */
public final class LayerEntries {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final ManifestJson json;

  public LayerEntries(ManifestJson json) {
    this.json = json;
  }

  /** What one layer says about the wanted paths. */
  private record Seen(Map<String, TarEntry> entries, Set<String> hidden, Set<String> opaque) {}

  /**
   * The entries of {@code paths} (normalised, absolute) in the image saved to {@code save}, top
   * layer winning; a path the image does not have is absent from the result.
   *
   * @param what names the image in errors
   */
  public Map<String, TarEntry> find(InputStream save, Set<String> paths, String what)
      throws IOException {
    Set<String> relevant = new HashSet<>();
    for (String p : paths) {
      relevant.add(p);
      relevant.addAll(FsPath.ancestors(p));
    }
    Map<String, Seen> layers = new HashMap<>();
    byte[] manifest = null;
    try (TarStreamReader outer = new TarStreamReader(save)) {
      for (Optional<TarEntry> e = outer.next(); e.isPresent(); e = outer.next()) {
        TarEntry member = e.get();
        if (member.type() != TarEntry.Type.FILE) {
          continue;
        }
        if (member.path().equals("/manifest.json")) {
          manifest = readAll(outer.content(), member, what);
        } else if (member.size() >= 1024 && !member.path().endsWith(".json")) {
          scan(outer.content(), paths, relevant).ifPresent(s -> layers.put(member.path(), s));
        }
      }
    } catch (TarFormatException ex) {
      throw new ImageFormatException(
          "reading the saved image " + what + ": " + ex.getMessage(), ex);
    }
    if (manifest == null) {
      throw new ImageFormatException("the saved image " + what + " has no manifest.json");
    }
    List<ManifestJson.ArchiveImage> images = json.archiveManifest(manifest, what);
    if (images.size() != 1) {
      throw new ImageFormatException(
          "the saved image " + what + " holds " + images.size() + " images, not one");
    }
    List<String> order = images.get(0).layers();
    Map<String, TarEntry> out = new TreeMap<>();
    for (String path : paths) {
      top(path, order, layers).ifPresent(entry -> out.put(path, entry));
    }
    return out;
  }

  private static Optional<TarEntry> top(String path, List<String> order, Map<String, Seen> layers) {
    List<String> ancestors = FsPath.ancestors(path);
    for (int i = order.size() - 1; i >= 0; i--) {
      Seen seen = layers.get(FsPath.normalize("/" + order.get(i)));
      if (seen == null) {
        continue;
      }
      TarEntry entry = seen.entries().get(path);
      if (entry != null) {
        return Optional.of(entry);
      }
      if (seen.hidden().contains(path)) {
        return Optional.empty();
      }
      for (String a : ancestors) {
        if (seen.hidden().contains(a) || seen.opaque().contains(a)) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** One layer's entries of the wanted paths, or empty when {@code in} is not a tar. */
  private static Optional<Seen> scan(InputStream in, Set<String> paths, Set<String> relevant)
      throws IOException {
    Map<String, TarEntry> entries = new HashMap<>();
    Set<String> hidden = new HashSet<>();
    Set<String> opaque = new HashSet<>();
    TarStreamReader layer = new TarStreamReader(in);
    try {
      for (Optional<TarEntry> e = layer.next(); e.isPresent(); e = layer.next()) {
        TarEntry entry = e.get();
        String name = entry.name();
        if (name.equals(OPAQUE)) {
          if (relevant.contains(entry.parent())) {
            opaque.add(entry.parent());
          }
        } else if (name.startsWith(WHITEOUT)) {
          String gone = FsPath.normalize(entry.parent() + "/" + name.substring(WHITEOUT.length()));
          if (relevant.contains(gone)) {
            hidden.add(gone);
          }
        } else if (paths.contains(entry.path())) {
          entries.put(entry.path(), entry);
        }
      }
    } catch (TarFormatException notATar) {
      return Optional.empty();
    }
    return Optional.of(new Seen(entries, hidden, opaque));
  }

  private static byte[] readAll(InputStream in, TarEntry member, String what) throws IOException {
    if (member.size() > ManifestJson.MAX_BYTES) {
      throw new ImageFormatException(
          "the saved image "
              + what
              + " has a manifest.json of "
              + member.size()
              + " bytes (at most "
              + ManifestJson.MAX_BYTES
              + ")");
    }
    return in.readAllBytes();
  }
}
