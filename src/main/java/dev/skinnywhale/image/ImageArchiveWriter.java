package dev.skinnywhale.image;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an image as a tar that is both an OCI layout and (for {@code docker-archive:}) a {@code
 * docker load} archive, as Docker 25+ writes {@code docker save}:
 *
 * <pre>
 *   blobs/sha256/&lt;hex&gt;   config, compressed layer, manifest
 *   index.json            the manifest, named by org.opencontainers.image.ref.name
 *   manifest.json         [{"Config": "blobs/sha256/…", "RepoTags": […], "Layers": ["blobs/sha256/…"]}]
 *   oci-layout            {"imageLayoutVersion": "1.0.0"}
 * </pre>
 *
 * so {@code docker load}, {@code podman load} and skopeo all read it. Entries in name order,
 * root-owned, mtime at the epoch: the same image and tags give the same bytes.
 */
public final class ImageArchiveWriter {
  static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.US_ASCII);
  private static final Instant EPOCH = Instant.EPOCH;
  private static final NodeMeta DIR = new NodeMeta(0755, 0, 0, "", "", EPOCH, Map.of());
  private static final NodeMeta FILE = new NodeMeta(0644, 0, 0, "", "", EPOCH, Map.of());

  private final ManifestJson json;

  public ImageArchiveWriter(ManifestJson json) {
    this.json = json;
  }

  /**
   * @param tag the image's name ({@code name:tag}), in index.json and manifest.json
   * @param dockerManifest whether to add manifest.json (docker-archive) or not (oci-archive)
   */
  public void write(OutputStream out, BuiltImage image, String tag, boolean dockerManifest)
      throws IOException {
    TreeMap<String, Object> blobs = new TreeMap<>();
    blobs.put(Digests.hex(image.config().digest()), image.configBytes());
    blobs.put(Digests.hex(image.layer().digest()), image.layerFile());
    blobs.put(Digests.hex(image.manifestDigest()), image.manifestBytes());
    TarStreamWriter tar = new TarStreamWriter(out);
    tar.addDirectory("blobs", DIR);
    tar.addDirectory("blobs/sha256", DIR);
    for (Map.Entry<String, Object> b : blobs.entrySet()) {
      String name = "blobs/sha256/" + b.getKey();
      if (b.getValue() instanceof byte[] bytes) {
        tar.addFile(name, bytes, EPOCH);
      } else {
        java.nio.file.Path file = (java.nio.file.Path) b.getValue();
        try (InputStream in = Files.newInputStream(file)) {
          tar.addFile(name, FILE, image.layer().size(), in);
        }
      }
    }
    tar.addFile("index.json", index(image, tag), EPOCH);
    if (dockerManifest) {
      tar.addFile(
          "manifest.json",
          json.writeArchiveManifest(
              new ManifestJson.ArchiveImage(
                  "blobs/sha256/" + Digests.hex(image.config().digest()),
                  List.of(tag),
                  List.of("blobs/sha256/" + Digests.hex(image.layer().digest())))),
          EPOCH);
    }
    tar.addFile("oci-layout", OCI_LAYOUT, EPOCH);
    tar.finish();
  }

  byte[] index(BuiltImage image, String tag) {
    return json.writeIndex(List.of(named(image.manifest(), tag)));
  }

  /** The manifest's descriptor named {@code tag} for skopeo/podman and for containerd. */
  static Descriptor named(Descriptor manifest, String tag) {
    return new Descriptor(
        manifest.mediaType(),
        manifest.digest(),
        manifest.size(),
        Map.of(MediaTypes.REF_NAME, tag, MediaTypes.CONTAINERD_NAME, tag),
        java.util.Optional.empty());
  }
}
