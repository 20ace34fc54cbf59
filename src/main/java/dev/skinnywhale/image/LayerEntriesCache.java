package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link LayerEntries} found of a few paths in an image, kept between runs. An image id is the
 * digest of the image's config, which names the digest of every layer: the same id is the same
 * layers, so what they hold at a path never changes and the engine need not stream the whole image
 * again to tell. One small JSON file per image and set of paths, in a directory of the user's
 * ({@code SKINNYWHALE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/skinnywhale}, else {@code
 * ~/.cache/skinnywhale}; {@code SKINNYWHALE_CACHE=off} turns it off). A file that is missing, too
 * big, malformed, of another version, or not this user's own and private (it or its directory
 * writable by others) is a miss; a file that cannot be written is no error.
 */
public final class LayerEntriesCache {
  static final int VERSION = 1;
  static final long MAX_FILE_BYTES = 1 << 20;
  static final String SUBDIR = "layer-entries";

  private final Optional<Path> dir;
  private final ObjectMapper mapper = new ObjectMapper();

  /** A cache in {@code dir}; empty for none. */
  public LayerEntriesCache(Optional<Path> dir) {
    this.dir = dir.map(d -> d.resolve(SUBDIR));
  }

  /** Where the files are kept; empty for no cache. */
  Optional<Path> dir() {
    return dir;
  }

  /** The cache the environment names (see the class comment). */
  public static LayerEntriesCache fromEnvironment(Map<String, String> env) {
    if ("off".equals(env.get("SKINNYWHALE_CACHE"))) {
      return new LayerEntriesCache(Optional.empty());
    }
    String own = env.getOrDefault("SKINNYWHALE_CACHE_DIR", "");
    if (!own.isEmpty()) {
      return new LayerEntriesCache(Optional.of(Path.of(own)));
    }
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    if (xdg.startsWith("/")) {
      return new LayerEntriesCache(Optional.of(Path.of(xdg, "skinnywhale")));
    }
    String home = env.getOrDefault("HOME", "");
    return new LayerEntriesCache(
        home.startsWith("/")
            ? Optional.of(Path.of(home, ".cache", "skinnywhale"))
            : Optional.empty());
  }

  /** What was found before of {@code paths} in {@code imageId}, when it is kept. */
  public Optional<Map<String, TarEntry>> get(String imageId, Set<String> paths) {
    Optional<Path> file = file(imageId, paths);
    if (file.isEmpty()
        || !Files.isRegularFile(file.get(), java.nio.file.LinkOption.NOFOLLOW_LINKS)
        || !private_(file.get())
        || !private_(file.get().getParent())) {
      return Optional.empty();
    }
    try (InputStream in =
        Files.newInputStream(file.get(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        return Optional.empty();
      }
      JsonNode root = mapper.readTree(bytes);
      if (root == null
          || root.path("version").asInt() != VERSION
          || !root.path("image").asText().equals(imageId)
          || !root.path("paths").equals(mapper.valueToTree(new TreeSet<>(paths)))) {
        return Optional.empty();
      }
      Map<String, TarEntry> out = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("entries").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!paths.contains(e.getKey())) {
          return Optional.empty();
        }
        out.put(e.getKey(), entry(e.getKey(), e.getValue()));
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a miss: read the layers again
    }
  }

  /** Keeps what was found; fails silently (a cache that cannot be written is only slower). */
  public void put(String imageId, Set<String> paths, Map<String, TarEntry> found) {
    Optional<Path> file = file(imageId, paths);
    if (file.isEmpty()) {
      return;
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("version", VERSION);
    root.put("image", imageId);
    root.set("paths", mapper.valueToTree(new TreeSet<>(paths)));
    ObjectNode entries = root.putObject("entries");
    new TreeMap<>(found).forEach((path, e) -> entries.set(path, json(e)));
    Path tmp = null;
    try {
      Path parent = file.get().getParent();
      if (!Files.isDirectory(parent)) {
        Files.createDirectories(parent.getParent());
        Files.createDirectory(
            parent,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      tmp =
          Files.createTempFile(
              parent,
              ".tmp-",
              ".json",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, mapper.writeValueAsBytes(root));
      try {
        Files.move(tmp, file.get(), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file.get(), StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException | UnsupportedOperationException e) {
      // not kept: the next run reads the layers again
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /**
   * Whether {@code p} is this process's own and writable by no one else: a file another user could
   * have put there is not trusted (it would set the owner and mode of {@code /etc} in a slim
   * image).
   */
  private static boolean private_(Path p) {
    try {
      Object owner = Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int mode =
          (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return owner.equals(self) && (mode & 022) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private Optional<Path> file(String imageId, Set<String> paths) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    if (dir.isEmpty() || !hex.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    return Optional.of(dir.get().resolve(hex + "-" + digest(new TreeSet<>(paths)) + ".json"));
  }

  private static String digest(Set<String> paths) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : paths) {
        md.update(p.getBytes(StandardCharsets.ISO_8859_1));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode json(TarEntry e) {
    ObjectNode n = mapper.createObjectNode();
    NodeMeta m = e.meta();
    n.put("type", e.type().name());
    n.put("size", e.size());
    n.put("link", e.link());
    n.put("devMajor", e.devMajor());
    n.put("devMinor", e.devMinor());
    n.put("mode", m.mode());
    n.put("uid", m.uid());
    n.put("gid", m.gid());
    n.put("userName", m.userName());
    n.put("groupName", m.groupName());
    n.put("mtimeSeconds", m.mtime().getEpochSecond());
    n.put("mtimeNanos", m.mtime().getNano());
    n.set("pax", mapper.valueToTree(new TreeMap<>(m.paxHeaders())));
    return n;
  }

  private TarEntry entry(String path, JsonNode n) {
    Map<String, String> pax = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("pax").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("pax value of " + e.getKey());
      }
      pax.put(e.getKey(), e.getValue().asText());
    }
    int mode = n.required("mode").asInt();
    long uid = n.required("uid").asLong();
    long gid = n.required("gid").asLong();
    if ((mode & ~07777) != 0 || uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
      throw new IllegalArgumentException("mode or owner out of range");
    }
    NodeMeta meta =
        new NodeMeta(
            mode,
            uid,
            gid,
            n.required("userName").asText(),
            n.required("groupName").asText(),
            Instant.ofEpochSecond(
                n.required("mtimeSeconds").asLong(), n.required("mtimeNanos").asInt()),
            pax);
    return new TarEntry(
        path,
        TarEntry.Type.valueOf(n.required("type").asText()),
        n.required("size").asLong(),
        meta,
        n.required("link").asText(),
        n.required("devMajor").asInt(),
        n.required("devMinor").asInt());
  }
}
