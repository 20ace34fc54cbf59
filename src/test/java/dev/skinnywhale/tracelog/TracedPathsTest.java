package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths.Use;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the probes used, resolved once against the image they ran in. */
class TracedPathsTest {
  static final List<String> IGNORED = List.of("/proc", "/sys", "/dev", "/.skinnywhale-probe");
  static final List<String> PATH = List.of("/usr/local/bin", "/usr/bin");
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";

  /** As an image is exported: /proc, /sys and /dev are empty mount points. */
  static final RootFs FS =
      RootFs.of(
          List.of(
              dir("/proc"),
              dir("/sys"),
              dir("/dev"),
              new FsNode.Symlink("/dev/app", NodeMeta.of(0777), "/usr/bin/python3"),
              new FsNode.Symlink("/lib", NodeMeta.of(0777), "usr/lib"),
              file(LIBDIR + "/libc.so.6"),
              file("/etc/app.conf"),
              new FsNode.Symlink("/etc/mtab", NodeMeta.of(0777), "../proc/self/mounts"),
              new FsNode.Symlink("/usr/bin/java", NodeMeta.of(0777), "../lib/jvm/bin/java"),
              file("/usr/lib/jvm/bin/java"),
              file("/usr/bin/python3"),
              dir("/var/log/app"),
              new FsNode.Symlink("/logs", NodeMeta.of(0777), "var/log"),
              file("/etc/not-a-dir")));

  static final Access OPENED = new Access(AccessKind.OPEN_READ, true, 1);
  static final Access MISSING = new Access(AccessKind.STAT, false, 1);
  static final Access WROTE = new Access(AccessKind.OPEN_WRITE, true, 1);

  @Test
  void none_isEmpty() {
    assertEquals(0, TracedPaths.none().size());
    assertEquals(Set.of(), TracedPaths.none().strayHops());
  }

  @Test
  void resolve_failedLookups_ignoredEvenForPathsTheImageHas() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "/etc/missing.conf", Set.of(MISSING),
                        "/etc/app.conf",
                            Set.of(MISSING, new Access(AccessKind.OPEN_READ, false, 2))))),
            List.of());
    assertEquals(Map.of(), t.entries());
  }

  @Test
  void resolve_followedAsStat_withTheHopsOnTheWay() {
    TracedPaths t =
        resolve(List.of(set(Map.of("/lib/x86_64-linux-gnu/libc.so.6", Set.of(OPENED)))), List.of());
    TracedPaths.Entry e = t.entries().get(LIBDIR + "/libc.so.6");
    assertEquals(Set.of("/lib"), e.hops());
    assertEquals(Set.of(Use.OPENED), e.uses());
    assertEquals(1, t.size());
  }

  @Test
  void resolve_readlinkOnly_theLinkItselfNotItsTarget() {
    TracedPaths t =
        resolve(
            List.of(set(Map.of("/usr/bin/java", Set.of(new Access(AccessKind.READLINK, true, 1))))),
            List.of());
    assertEquals(Set.of("/usr/bin/java"), t.entries().keySet());
    TracedPaths.Entry link = t.entries().get("/usr/bin/java");
    assertInstanceOf(FsNode.Symlink.class, link.node());
    assertEquals(Set.of(Use.READLINK), link.uses());
  }

  @Test
  void resolve_readlinkAndOpen_followedToTheTarget() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "/usr/bin/java",
                        Set.of(new Access(AccessKind.READLINK, true, 1), OPENED)))),
            List.of());
    assertEquals(Set.of("/usr/lib/jvm/bin/java"), t.entries().keySet());
    assertEquals(Set.of("/usr/bin/java"), t.entries().get("/usr/lib/jvm/bin/java").hops());
  }

  @Test
  void resolve_createdFile_theNearestDirectoryTheImageHasNotTheRoot() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "/var/log/app/new/today.log", Set.of(WROTE),
                        "/logs/boot.log", Set.of(new Access(AccessKind.REMOVE, true, 1)),
                        "/made-at-the-root", Set.of(WROTE),
                        "/etc/not-a-dir/x", Set.of(WROTE),
                        "/proc/new", Set.of(WROTE)))),
            List.of());
    assertEquals(Set.of("/var/log", "/var/log/app"), t.entries().keySet());
    assertEquals(Set.of(Use.CREATED_IN), t.entries().get("/var/log/app").uses());
    assertEquals(Set.of("/logs"), t.entries().get("/var/log").hops());
  }

  @Test
  void resolve_procAndTheProbeDirectory_ignored() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "/proc", Set.of(new Access(AccessKind.LIST_DIR, true, 1)),
                        "/proc/self/maps", Set.of(OPENED),
                        "/dev/null", Set.of(WROTE),
                        "/dev/app", Set.of(OPENED),
                        "/.skinnywhale-probe/trace.log", Set.of(WROTE)))),
            List.of());
    assertEquals(Map.of(), t.entries());
  }

  @Test
  void resolve_symlinkToAnIgnoredNodeTheImageHas_keptAsAStrayHop() {
    RootFs fs =
        RootFs.of(
            List.of(
                file("/proc/self/mounts"),
                new FsNode.Symlink("/etc/mtab", NodeMeta.of(0777), "../proc/self/mounts")));
    TracedPaths t =
        TracedPaths.resolve(
            fs, List.of(set(Map.of("/etc/mtab", Set.of(OPENED)))), List.of(), PATH, IGNORED);
    assertEquals(Map.of(), t.entries());
    assertEquals(Set.of("/etc/mtab"), t.strayHops());
  }

  /**
   * An exported image has /proc as an empty mount point, so the link's target is not in it: the
   * resolution fails after passing /etc/mtab, and {@code Collector.access} drops its hops (only a
   * found node's hops become stray hops).
   */
  @Test
  void resolve_symlinkIntoProcOfAnExportedImage_keptAsAStrayHop() {
    TracedPaths t = resolve(List.of(set(Map.of("/etc/mtab", Set.of(OPENED)))), List.of());
    assertEquals(Map.of(), t.entries());
    assertEquals(Set.of("/etc/mtab"), t.strayHops());
  }

  @Test
  void resolve_bareExecName_foundOnTheImagePath() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "java", Set.of(new Access(AccessKind.EXEC, true, 1)),
                        "python3", Set.of(OPENED),
                        "bin/app", Set.of(new Access(AccessKind.EXEC, true, 1))))),
            List.of());
    assertEquals(Set.of("/usr/lib/jvm/bin/java"), t.entries().keySet());
    TracedPaths.Entry java = t.entries().get("/usr/lib/jvm/bin/java");
    assertEquals(Set.of(Use.EXEC), java.uses());
    assertEquals(Set.of("/usr/bin/java"), java.hops());
  }

  @Test
  void resolve_programsGiven_foundAsExecWould() {
    TracedPaths t = resolve(List.of(), List.of("python3", "/usr/bin/java", "gone", "/nope/x"));
    assertEquals(Set.of("/usr/bin/python3", "/usr/lib/jvm/bin/java"), t.entries().keySet());
    assertTrue(t.entries().values().stream().allMatch(e -> e.uses().equals(Set.of(Use.EXEC))));
  }

  @Test
  void resolve_usesAndHopsMergedAcrossProbes() {
    TracedPaths t =
        resolve(
            List.of(
                set(
                    Map.of(
                        "/lib/x86_64-linux-gnu/libc.so.6",
                        Set.of(new Access(AccessKind.STAT, true, 1)))),
                set(Map.of(LIBDIR + "/libc.so.6", Set.of(OPENED)))),
            List.of(LIBDIR + "/libc.so.6"));
    TracedPaths.Entry e = t.entries().get(LIBDIR + "/libc.so.6");
    assertEquals(Set.of(Use.STAT, Use.OPENED, Use.EXEC), e.uses());
    assertEquals(Set.of("/lib"), e.hops());
    assertEquals(1, t.size());
  }

  private static TracedPaths resolve(Collection<AccessSet> accesses, List<String> programs) {
    return TracedPaths.resolve(FS, accesses, programs, PATH, IGNORED);
  }

  private static AccessSet set(Map<String, Set<Access>> byPath) {
    SortedMap<String, Set<Access>> m = new TreeMap<>();
    byPath.forEach((path, accesses) -> m.put(path, new HashSet<>(accesses)));
    return new AccessSet(m, new TreeMap<>());
  }

  private static FsNode file(String path) {
    return new FsNode.RegularFile(path, NodeMeta.of(0755), new BytesBlob(new byte[] {1}));
  }

  private static FsNode dir(String path) {
    return new FsNode.Directory(path, NodeMeta.of(0755));
  }
}
