package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The entries the engine touched take the image's own metadata, else a fixed mtime. */
class EngineEntriesTest {
  static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  static NodeMeta meta(int mode, Instant mtime) {
    return new NodeMeta(mode, 0, 0, "", "", mtime, Map.of());
  }

  static TarEntry dir(String path, int mode, long seconds) {
    return new TarEntry(
        path, TarEntry.Type.DIRECTORY, 0, meta(mode, Instant.ofEpochSecond(seconds)), "", 0, 0);
  }

  final RootFs export =
      RootFs.of(
          List.of(
              new FsNode.Directory("/etc", meta(0755, NOW)),
              new FsNode.Directory("/etc/ssl", meta(0755, NOW)),
              new FsNode.Directory("/dev", meta(0755, NOW)),
              new FsNode.Directory("/app", meta(0755, NOW)),
              new FsNode.Symlink("/etc/mtab", meta(0777, NOW), "/proc/mounts")));

  Instant mtime(RootFs fs, String path) {
    return fs.get(path).orElseThrow().meta().mtime();
  }

  @Test
  void restore_imageMetadataWhenPresent_elseFixedMtime_othersUntouched() {
    Set<String> touched = EngineEntries.touched("/app");
    RootFs fs =
        EngineEntries.restore(export, touched, Map.of("/etc", dir("/etc", 0750, 42)), Set.of());
    assertEquals(Instant.ofEpochSecond(42), mtime(fs, "/etc"));
    assertEquals(0750, fs.get("/etc").orElseThrow().meta().mode());
    assertEquals(EngineEntries.FIXED_MTIME, mtime(fs, "/dev"));
    assertEquals(EngineEntries.FIXED_MTIME, mtime(fs, "/etc/mtab"));
    assertEquals(EngineEntries.FIXED_MTIME, mtime(fs, "/app"));
    assertEquals(NOW, mtime(fs, "/etc/ssl"));
  }

  @Test
  void restore_userChangesAndOtherKindsStayAsExported() {
    RootFs fs =
        EngineEntries.restore(
            export,
            EngineEntries.touched(""),
            Map.of("/etc/mtab", dir("/etc/mtab", 0755, 42), "/dev", dir("/dev", 0755, 43)),
            Set.of("/dev"));
    assertEquals(NOW, mtime(fs, "/dev"));
    assertEquals(EngineEntries.FIXED_MTIME, mtime(fs, "/etc/mtab"));
    assertEquals(NOW, mtime(fs, "/app"));
  }

  @Test
  void touched_workingDirAndItsAncestors_notTheRoot() {
    Set<String> t = EngineEntries.touched("/srv/app/");
    assertEquals(true, t.contains("/srv") && t.contains("/srv/app") && !t.contains("/"));
    assertEquals(EngineEntries.INIT_LAYER.size(), EngineEntries.touched("").size());
  }
}
