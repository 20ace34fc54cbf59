package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerEntriesCacheTest {
  static final String ID = "sha256:" + "ab".repeat(32);
  static final Set<String> PATHS = Set.of("/etc", "/dev", "/etc/hosts", "/bad\u00ffname");

  @TempDir Path dir;

  static Map<String, TarEntry> found() {
    NodeMeta etc =
        new NodeMeta(
            0755,
            0,
            0,
            "root",
            "root",
            Instant.ofEpochSecond(1_700_000_000L, 123),
            Map.of("SCHILY.xattr.user.x", "\u00ff\u0000v"));
    NodeMeta odd = new NodeMeta(0600, 7, 8, "", "", Instant.EPOCH, Map.of());
    return Map.of(
        "/etc", new TarEntry("/etc", TarEntry.Type.DIRECTORY, 0, etc, "", 0, 0),
        "/bad\u00ffname",
            new TarEntry("/bad\u00ffname", TarEntry.Type.CHAR_DEVICE, 0, odd, "", 5, 1));
  }

  @Test
  void put_thenGet_givesWhatWasFound_andNothingForOtherPathsOrImages() {
    LayerEntriesCache cache = new LayerEntriesCache(Optional.of(dir));
    assertEquals(Optional.empty(), cache.get(ID, PATHS));
    cache.put(ID, PATHS, found());
    assertEquals(Optional.of(found()), cache.get(ID, PATHS));
    assertEquals(Optional.of(found()), new LayerEntriesCache(Optional.of(dir)).get(ID, PATHS));
    assertEquals(Optional.empty(), cache.get(ID, Set.of("/etc")));
    assertEquals(Optional.empty(), cache.get("sha256:" + "cd".repeat(32), PATHS));
  }

  @Test
  void nothingFound_isKeptToo() {
    LayerEntriesCache cache = new LayerEntriesCache(Optional.of(dir));
    cache.put(ID, PATHS, Map.of());
    assertEquals(Optional.of(Map.of()), cache.get(ID, PATHS));
  }

  @Test
  void aDamagedOrForeignFile_isAMiss() throws Exception {
    LayerEntriesCache cache = new LayerEntriesCache(Optional.of(dir));
    cache.put(ID, PATHS, found());
    Path file;
    try (var files = Files.list(dir.resolve(LayerEntriesCache.SUBDIR))) {
      file = files.findFirst().orElseThrow();
    }
    String json = Files.readString(file);
    for (String bad :
        new String[] {
          json.substring(0, json.length() / 2),
          json.replace("\"version\":1", "\"version\":2"),
          json.replace(ID, "sha256:" + "cd".repeat(32)),
          json.replace("\"mode\":493", "\"mode\":\"x\"")
              .replace("\"type\":\"DIRECTORY\"", "\"type\":\"NOPE\""),
          json.replace("\"entries\":{", "\"entries\":{\"/elsewhere\":{},"),
          json.replace("\"mode\":493", "\"mode\":65535"),
          json.replace("\"uid\":0", "\"uid\":-1"),
          "[]",
          " ".repeat((int) LayerEntriesCache.MAX_FILE_BYTES + 1)
        }) {
      Files.writeString(file, bad);
      assertEquals(
          Optional.empty(), cache.get(ID, PATHS), bad.substring(0, Math.min(80, bad.length())));
    }
  }

  @Test
  void aFileOthersCouldHaveWritten_isAMiss() throws Exception {
    LayerEntriesCache cache = new LayerEntriesCache(Optional.of(dir));
    cache.put(ID, PATHS, found());
    Path sub = dir.resolve(LayerEntriesCache.SUBDIR);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
    Path file;
    try (var files = Files.list(sub)) {
      file = files.findFirst().orElseThrow();
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertEquals(Optional.empty(), cache.get(ID, PATHS));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals(Optional.of(found()), cache.get(ID, PATHS));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(Optional.empty(), cache.get(ID, PATHS));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
    Path elsewhere = dir.resolve("elsewhere.json");
    Files.move(file, elsewhere);
    Files.createSymbolicLink(file, elsewhere);
    assertEquals(Optional.empty(), cache.get(ID, PATHS), "a symlink is not followed");
  }

  @Test
  void noDirectory_orAnIdThatIsNoDigest_keepsNothing_andAnUnwritableOneIsNoError()
      throws Exception {
    LayerEntriesCache none = new LayerEntriesCache(Optional.empty());
    none.put(ID, PATHS, found());
    assertEquals(Optional.empty(), none.get(ID, PATHS));
    LayerEntriesCache cache = new LayerEntriesCache(Optional.of(dir));
    cache.put("../../escape", PATHS, found());
    cache.put("sha256:" + "AB".repeat(32), PATHS, found());
    assertTrue(!Files.exists(dir.resolve(LayerEntriesCache.SUBDIR)));
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    new LayerEntriesCache(Optional.of(file)).put(ID, PATHS, found()); // its parent is a file
    assertEquals(Optional.empty(), new LayerEntriesCache(Optional.of(file)).get(ID, PATHS));
  }

  @Test
  void fromEnvironment_ownDir_thenXdg_thenHome_offTurnsItOff() {
    assertEquals(
        Optional.of(Path.of("/x/own", LayerEntriesCache.SUBDIR)),
        LayerEntriesCache.fromEnvironment(Map.of("SKINNYWHALE_CACHE_DIR", "/x/own", "HOME", "/h"))
            .dir());
    assertEquals(
        Optional.of(Path.of("/x/xdg/skinnywhale", LayerEntriesCache.SUBDIR)),
        LayerEntriesCache.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x/xdg", "HOME", "/h")).dir());
    assertEquals(
        Optional.of(Path.of("/h/.cache/skinnywhale", LayerEntriesCache.SUBDIR)),
        LayerEntriesCache.fromEnvironment(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/h"))
            .dir());
    assertEquals(
        Optional.empty(),
        LayerEntriesCache.fromEnvironment(
                Map.of("SKINNYWHALE_CACHE", "off", "SKINNYWHALE_CACHE_DIR", "/x", "HOME", "/h"))
            .dir());
    assertEquals(Optional.empty(), LayerEntriesCache.fromEnvironment(Map.of()).dir());
  }
}
