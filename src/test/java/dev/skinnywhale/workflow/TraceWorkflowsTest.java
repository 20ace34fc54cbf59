package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileEntry;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.steps.SaveProfile;
import dev.skinnywhale.workflow.steps.Verification;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace} end to end over the fake engine: the probe's tracer log (in the tracer's own
 * format, as recorded from a real probe) decides the keep-plan, the saved profile, and what a
 * failed verification names.
 */
class TraceWorkflowsTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";

  /** What the tracer wrote for `app --selftest` in the probe container. */
  static final String PROBE_LOG =
      """
      100   execve("/bin/sh", ["/bin/sh", "-c", "app --selftest"], 0x7ffd /* 4 vars */) = 0
      100   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libc.so.6>
      101   execve("/usr/bin/app", ["app", "--selftest"], 0x7ffd /* 4 vars */) = 0
      101   openat(AT_FDCWD</>, "/etc/app.conf", O_RDONLY) = 3</etc/app.conf>
      101   openat(AT_FDCWD</>, "/usr/lib/x86_64-linux-gnu/libplugin.so.1", O_RDONLY|O_CLOEXEC) = 4</usr/lib/x86_64-linux-gnu/libplugin.so.1>
      101   stat("/etc/app.d", 0x7ffd) = -1 ENOENT (No such file or directory)
      101   openat(AT_FDCWD</>, "/proc/self/maps", O_RDONLY) = 5</proc/self/maps>
      101   +++ exited with 0 +++
      100   +++ exited with 0 +++
      """;

  /** The same command in a slim image that lacks /etc/app.conf. */
  static final String SLIM_LOG =
      """
      200   execve("/bin/sh", ["/bin/sh", "-c", "app --selftest"], 0x7ffd /* 4 vars */) = 0
      201   execve("/usr/bin/app", ["app", "--selftest"], 0x7ffd /* 4 vars */) = 0
      201   openat(AT_FDCWD</>, "/etc/app.conf", O_RDONLY) = -1 ENOENT (No such file or directory)
      201   +++ exited with 1 +++
      200   +++ exited with 1 +++
      """;

  @TempDir Path tmp;
  FakeEngine engine;
  List<String> warnings;

  @BeforeEach
  void fixture() {
    engine = new FakeEngine();
    warnings = new ArrayList<>();
    var files = engine.containerFiles;
    for (String dir : List.of("/etc/", "/usr/", "/usr/bin/", "/usr/lib/", LIBDIR + "/", "/tmp/")) {
      files.put(dir, new byte[0]);
    }
    files.put("/lib", bytes("-> usr/lib"));
    files.put("/bin", bytes("-> usr/bin"));
    files.put(LIBDIR + "/ld-linux-x86-64.so.2", ElfFixture.x86_64().soname("ld.so").bytes());
    files.put(LIBDIR + "/libc.so.6", ElfFixture.x86_64().soname("libc.so.6").bytes());
    files.put(
        LIBDIR + "/libplugin.so.1",
        ElfFixture.x86_64().soname("libplugin.so.1").needed("libdep.so.1", "libc.so.6").bytes());
    files.put(LIBDIR + "/libdep.so.1", ElfFixture.x86_64().soname("libdep.so.1").bytes());
    files.put(LIBDIR + "/libunused.so.1", ElfFixture.x86_64().soname("libunused.so.1").bytes());
    byte[] program =
        ElfFixture.x86_64()
            .interpreter(LIBDIR + "/ld-linux-x86-64.so.2")
            .needed("libc.so.6")
            .bytes();
    files.put("/usr/bin/dash", program);
    files.put("/usr/bin/sh", bytes("-> dash"));
    files.put("/usr/bin/app", program);
    files.put("/etc/app.conf", bytes("mode=selftest"));
    files.put("/etc/unrelated.conf", bytes("x"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/usr/bin/app"));
    engine.traceLogs.put(FakeEngine.COMMITTED_ID, PROBE_LOG);
  }

  @Test
  void trace_traced_keepsWhatTheProbeUsedAndItsClosureOnly() throws Exception {
    TraceResult result =
        workflows().trace(request(KeepStrategy.TRACED, List.of(), Optional.empty()));

    Set<String> layer = loadedLayerPaths();
    for (String kept :
        List.of(
            "/bin",
            "/usr/bin/sh",
            "/usr/bin/dash",
            "/usr/bin/app",
            "/etc/app.conf",
            LIBDIR + "/libplugin.so.1",
            LIBDIR + "/libdep.so.1",
            LIBDIR + "/libc.so.6",
            LIBDIR + "/ld-linux-x86-64.so.2")) {
      assertTrue(layer.contains(kept), kept + " not kept: " + layer);
    }
    assertFalse(layer.contains(LIBDIR + "/libunused.so.1"), layer.toString());
    assertFalse(layer.contains("/etc/unrelated.conf"), layer.toString());
    assertFalse(layer.stream().anyMatch(p -> p.startsWith("/proc/self")), layer.toString());
    assertTrue(result.verified());
    assertEquals(1, result.verification().size());
    assertEquals(KeepStrategy.TRACED, result.keep());
  }

  @Test
  void trace_savesAProfileOfWhatWasTracedAndWhatThatNeeds() throws Exception {
    Path file = tmp.resolve("profiles/app.json");
    workflows()
        .trace(
            request(
                KeepStrategy.CHANGES, List.of(), Optional.of(new SaveProfile.Target("app", file))));

    Profile profile = new ProfileJson().read(file);
    Map<String, ProfileEntry> byPath =
        profile.entries().stream().collect(Collectors.toMap(ProfileEntry::path, e -> e));
    assertTrue(byPath.get("/etc/app.conf").why().contains(Why.OPENED), byPath.toString());
    assertTrue(byPath.get("/usr/bin/app").why().contains(Why.EXEC), byPath.toString());
    assertTrue(
        byPath.get(LIBDIR + "/libdep.so.1").why().contains(Why.NEEDED_BY), byPath.toString());
    assertEquals(
        Optional.of(LIBDIR + "/libplugin.so.1"), byPath.get(LIBDIR + "/libdep.so.1").neededBy());
    assertFalse(byPath.containsKey("/etc/unrelated.conf"), "the change set is not the trace");
    assertFalse(byPath.containsKey(LIBDIR + "/libunused.so.1"));
    assertEquals(List.of("app --selftest"), profile.commands().stream().map(c -> c.run()).toList());
  }

  @Test
  void trace_slimFailsTheCommand_resultSaysSoAndNamesWhatIsMissing() throws Exception {
    String tag = "skinny-c0ffee000000:latest";
    engine.exitCodes.put(tag, 1);
    engine.traceLogs.put(tag, SLIM_LOG);

    TraceResult result =
        workflows().trace(request(KeepStrategy.TRACED, List.of("/etc/app.conf"), Optional.empty()));

    assertFalse(result.verified());
    Verification v = result.verification().get(0);
    assertFalse(v.passed());
    assertEquals("exit code 1", v.slimOutcome());
    assertEquals(List.of("/etc/app.conf"), v.missing());
  }

  @Test
  void trace_container_removesTheProbeImageAndEveryContainerAndTouchesNothingOfTheSource()
      throws Exception {
    workflows().trace(request(KeepStrategy.TRACED, List.of(), Optional.empty()));
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
    assertEquals(new TreeSet<>(engine.created.keySet()), new TreeSet<>(engine.removed));
    for (String call : engine.calls) {
      if (call.contains(FakeEngine.CONTAINER_ID)) {
        assertTrue(
            call.startsWith("export ") || call.startsWith("diff ") || call.startsWith("commit "),
            "touched the source: " + call);
      }
    }
  }

  private TraceRequest request(
      KeepStrategy keep, List<String> excludes, Optional<SaveProfile.Target> save) {
    SlimRequest slim =
        SlimRequest.builder("app").excludes(excludes).keep(Optional.of(keep)).build();
    return new TraceRequest(
        slim,
        List.of("app --selftest"),
        Optional.empty(),
        new ProbeOptions(
            "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5)),
        false,
        true,
        false,
        save,
        false,
        TraceRequest.DEFAULT_CONFIG_TIMEOUT,
        Optional.empty());
  }

  private Workflows workflows() {
    Reporter reporter =
        new Reporter() {
          @Override
          public void step(String message) {}

          @Override
          public void info(String message) {}

          @Override
          public void warn(String message) {
            warnings.add(message);
          }

          @Override
          public void debug(String message) {}
        };
    ProfileStore store =
        new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader());
    return new Workflows(
        engine,
        reporter,
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
        store);
  }

  /** The paths of the layer inside the one archive that was loaded. */
  private Set<String> loadedLayerPaths() throws Exception {
    assertEquals(1, engine.loaded.size());
    try (RootFs archive =
        new TarRootFsReader().read(new ByteArrayInputStream(engine.loaded.get(0)), tmp)) {
      FsNode.RegularFile layer =
          archive
              .nodes()
              .filter(n -> n.path().endsWith("/layer.tar"))
              .map(n -> (FsNode.RegularFile) n)
              .findFirst()
              .orElseThrow();
      try (InputStream in = layer.content().open();
          RootFs fs = new TarRootFsReader().read(in, tmp)) {
        return fs.nodes().map(FsNode::path).collect(Collectors.toCollection(TreeSet::new));
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
