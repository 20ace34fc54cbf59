package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading one image of an OCI image layout (a directory or an archive): index → manifest (nested
 * indexes followed, the platform of this machine chosen) → config → layers, every blob checked
 * against its descriptor's digest and size.
 */
public final class OciImages {
  private static final int MAX_INDEX_DEPTH = 4;

  /** Where an OCI layout's blobs are. */
  public interface BlobStore {
    /** The blob of this (well-formed) digest; empty when the layout lacks it. */
    Optional<BlobRegion> find(String digest) throws IOException;

    /** The layout, for messages. */
    String where();
  }

  private final ManifestJson json;
  private final String platform;

  /**
   * @param platform "os/architecture" to choose from a multi-platform index (e.g. linux/amd64)
   */
  public OciImages(ManifestJson json, String platform) {
    this.json = json;
    this.platform = platform;
  }

  /** The platform of the machine we run on, in OCI's words. */
  public static String hostPlatform() {
    String arch = System.getProperty("os.arch", "amd64");
    return "linux/"
        + switch (arch) {
          case "x86_64", "amd64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
  }

  /** The image named {@code name} (or the only one) of the layout whose index.json this is. */
  public LayeredImage read(
      ImageReference reference,
      byte[] indexJson,
      BlobStore store,
      LayerReader layers,
      List<? extends Closeable> resources)
      throws IOException {
    List<Descriptor> manifests = json.index(indexJson, store.where() + " index.json");
    Descriptor chosen = choose(manifests, reference.name(), store.where());
    return image(reference, chosen, store, layers, resources, 0);
  }

  private LayeredImage image(
      ImageReference reference,
      Descriptor d,
      BlobStore store,
      LayerReader layers,
      List<? extends Closeable> resources,
      int depth)
      throws IOException {
    byte[] doc = document(store, d);
    String type = d.mediaType().isEmpty() ? json.mediaType(doc, d.digest()) : d.mediaType();
    if (MediaTypes.INDEXES.contains(type)) {
      if (depth >= MAX_INDEX_DEPTH) {
        throw new ImageFormatException(
            store.where() + ": indexes nested too deep at " + d.digest());
      }
      Descriptor inner = byPlatform(json.index(doc, d.digest()), d.digest());
      return image(reference, inner, store, layers, resources, depth + 1);
    }
    Manifest m = json.manifest(doc, "manifest " + d.digest());
    byte[] configBytes = document(store, m.config());
    ObjectNode config = json.config(configBytes, "config " + m.config().digest());
    List<String> diffIds = json.diffIds(config, "config " + m.config().digest());
    if (diffIds.size() != m.layers().size()) {
      throw new ImageFormatException(
          "manifest "
              + d.digest()
              + " names "
              + m.layers().size()
              + " layers, its config "
              + diffIds.size());
    }
    List<LayerTar> tars = new ArrayList<>();
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor l = m.layers().get(i);
      BlobRegion blob = blob(store, l);
      tars.add(layers.read(blob, Optional.of(l.digest()), Optional.of(diffIds.get(i))));
    }
    List<Closeable> all = new ArrayList<>(resources);
    all.add(layers);
    return new LayeredImage(reference, configBytes, config, tars, all);
  }

  private Descriptor choose(List<Descriptor> manifests, Optional<String> name, String where) {
    if (name.isPresent()) {
      String n = name.get();
      List<Descriptor> named =
          manifests.stream()
              .filter(
                  d ->
                      n.equals(d.annotations().get(MediaTypes.REF_NAME))
                          || n.equals(d.annotations().get(MediaTypes.CONTAINERD_NAME))
                          || d.annotations()
                              .getOrDefault(MediaTypes.CONTAINERD_NAME, "")
                              .endsWith("/" + n))
              .toList();
      if (named.isEmpty()) {
        throw new ImageFormatException(where + " has no image named " + n);
      }
      return named.size() == 1 ? named.get(0) : byPlatform(named, where);
    }
    if (manifests.isEmpty()) {
      throw new ImageFormatException(where + " holds no image");
    }
    if (manifests.size() == 1) {
      return manifests.get(0);
    }
    if (manifests.stream().allMatch(d -> d.platform().isPresent())) {
      return byPlatform(manifests, where);
    }
    throw new ImageFormatException(
        where + " holds " + manifests.size() + " images: name one as " + where + ":NAME");
  }

  private Descriptor byPlatform(List<Descriptor> manifests, String where) {
    List<Descriptor> match =
        manifests.stream()
            .filter(
                d ->
                    d.platform()
                        .map(p -> p.equals(platform) || p.startsWith(platform + "/"))
                        .orElse(false))
            .toList();
    if (!match.isEmpty()) {
      return match.get(0);
    }
    if (manifests.size() == 1) {
      return manifests.get(0);
    }
    throw new ImageFormatException(
        where
            + " has no image for "
            + platform
            + " (it has: "
            + manifests.stream().map(d -> d.platform().orElse("?")).toList()
            + ")");
  }

  private static BlobRegion blob(BlobStore store, Descriptor d) throws IOException {
    BlobRegion b =
        store
            .find(d.digest())
            .orElseThrow(
                () ->
                    new ImageFormatException(
                        store.where() + " names blob " + d.digest() + ", which it does not have"));
    if (b.length() != d.size()) {
      throw new ImageFormatException(
          "blob " + d.digest() + ": size mismatch: " + b.length() + " bytes, expected " + d.size());
    }
    return new BlobRegion(d.digest(), b.file(), b.offset(), b.length());
  }

  private static byte[] document(BlobStore store, Descriptor d) throws IOException {
    byte[] bytes = blob(store, d).readAll(ManifestJson.MAX_BYTES);
    LayerReader.expect(d.digest(), "digest", Optional.of(d.digest()), Digests.of(bytes));
    return bytes;
  }
}
