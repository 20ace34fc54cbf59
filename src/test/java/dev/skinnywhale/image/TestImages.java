package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multi-layer images generated in code: layers from a small DSL (files, dirs, symlinks, hard links,
 * whiteouts, opaque markers) written as an OCI layout, an oci-archive or a classic docker-archive.
 */
public final class TestImages {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ManifestJson MANIFESTS = new ManifestJson(JSON);

  private TestImages() {}

  /** One layer, entry by entry in the order given. */
  public static final class LayerBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarStreamWriter tar = new TarStreamWriter(out);

    static NodeMeta meta(int mode) {
      return new NodeMeta(
          mode, 0, 0, "root", "root", Instant.ofEpochSecond(1_700_000_000L), Map.of());
    }

    public LayerBuilder dir(String path) {
      return run(() -> tar.addDirectory(name(path), meta(0755)));
    }

    public LayerBuilder file(String path, String content) {
      byte[] b = content.getBytes(StandardCharsets.UTF_8);
      return run(() -> tar.addFile(name(path), meta(0644), b.length, new ByteArrayInputStream(b)));
    }

    public LayerBuilder symlink(String path, String target) {
      return run(() -> tar.addSymlink(name(path), meta(0777), target));
    }

    public LayerBuilder hardlink(String path, String target) {
      return run(() -> tar.addHardLink(name(path), meta(0644), name(target)));
    }

    /** Removes {@code path} of the layers below. */
    public LayerBuilder whiteout(String path) {
      int slash = path.lastIndexOf('/');
      return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    /** Hides what the layers below have in {@code dir}. */
    public LayerBuilder opaque(String dir) {
      return file(dir + "/.wh..wh..opq", "");
    }

    public byte[] bytes() {
      run(tar::finish);
      return out.toByteArray();
    }

    private static String name(String path) {
      return path.startsWith("/") ? path.substring(1) : path;
    }

    private interface Io {
      void run() throws IOException;
    }

    private LayerBuilder run(Io io) {
      try {
        io.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  public static LayerBuilder layer() {
    return new LayerBuilder();
  }

  /** A config for these uncompressed layers. */
  public static byte[] config(List<byte[]> layers) {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", "amd64");
    c.put("os", "linux");
    c.put("created", "2025-01-01T00:00:00Z");
    c.putObject("config").putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = c.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    layers.forEach(l -> ids.add(Digests.of(l)));
    return MANIFESTS.bytes(c);
  }

  static byte[] compress(byte[] tar, Compression c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = c.compress(out)) {
      z.write(tar);
    }
    return out.toByteArray();
  }

  /** The blobs (digest → bytes) and index.json of an OCI layout of these layers. */
  public static Map<String, byte[]> ociBlobs(List<byte[]> layers, Compression c)
      throws IOException {
    Map<String, byte[]> blobs = new TreeMap<>();
    byte[] config = config(layers);
    blobs.put(Digests.of(config), config);
    List<Descriptor> ls = new ArrayList<>();
    for (byte[] l : layers) {
      byte[] z = compress(l, c);
      blobs.put(Digests.of(z), z);
      ls.add(Descriptor.of(c.ociMediaType(), Digests.of(z), z.length));
    }
    byte[] manifest =
        MANIFESTS.writeManifest(
            Descriptor.of(MediaTypes.OCI_CONFIG, Digests.of(config), config.length), ls);
    blobs.put(Digests.of(manifest), manifest);
    blobs.put(
        "index.json",
        MANIFESTS.writeIndex(
            List.of(
                ImageArchiveWriter.named(
                    Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.of(manifest), manifest.length),
                    "test:1"))));
    return blobs;
  }

  /** An OCI layout directory. */
  public static Path ociDir(Path dir, List<byte[]> layers, Compression c) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    for (Map.Entry<String, byte[]> b : ociBlobs(layers, c).entrySet()) {
      if (b.getKey().equals("index.json")) {
        Files.write(dir.resolve("index.json"), b.getValue());
      } else {
        Files.write(blobs.resolve(Digests.hex(b.getKey())), b.getValue());
      }
    }
    Files.write(dir.resolve("oci-layout"), ImageArchiveWriter.OCI_LAYOUT);
    return dir;
  }

  /** An oci-archive: the same layout in a tar, {@code edit} applied to its members first. */
  public static Path ociArchive(
      Path file,
      List<byte[]> layers,
      Compression c,
      java.util.function.Consumer<Map<String, byte[]>> edit)
      throws IOException {
    Map<String, byte[]> members = new TreeMap<>();
    for (Map.Entry<String, byte[]> b : ociBlobs(layers, c).entrySet()) {
      members.put(
          b.getKey().equals("index.json")
              ? "index.json"
              : "blobs/sha256/" + Digests.hex(b.getKey()),
          b.getValue());
    }
    members.put("oci-layout", ImageArchiveWriter.OCI_LAYOUT);
    edit.accept(members);
    return tar(file, members);
  }

  /** A classic docker-archive: {@code <configHex>.json}, {@code <n>/layer.tar}, manifest.json. */
  public static Path dockerArchive(Path file, List<byte[]> layers, String tag) throws IOException {
    Map<String, byte[]> members = new TreeMap<>();
    byte[] config = config(layers);
    String configName = Digests.hex(Digests.of(config)) + ".json";
    members.put(configName, config);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String name = "layer" + i + "/layer.tar";
      members.put(name, layers.get(i));
      names.add(name);
    }
    members.put(
        "manifest.json",
        MANIFESTS.writeArchiveManifest(
            new ManifestJson.ArchiveImage(configName, List.of(tag), names)));
    return tar(file, members);
  }

  /** A tar of name → bytes ("-> target" makes a symlink). */
  public static Path tar(Path file, Map<String, byte[]> members) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      TarStreamWriter w = new TarStreamWriter(out);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        String text = new String(m.getValue(), StandardCharsets.ISO_8859_1);
        if (text.startsWith("-> ")) {
          w.addSymlink(m.getKey(), LayerBuilder.meta(0777), text.substring(3));
        } else {
          w.addFile(
              m.getKey(),
              LayerBuilder.meta(0644),
              m.getValue().length,
              new ByteArrayInputStream(m.getValue()));
        }
      }
      w.finish();
    }
    return file;
  }
}
