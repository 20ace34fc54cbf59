package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.packages.PackageUsage;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.UnusableInputException;
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
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace} with the package rules over the fake engine: the default strategy is packages, the
 * user's jar and the rest of the packages come along, and the slim image's dpkg database lists
 * exactly what it keeps.
 */
class PackagesWorkflowTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";
  static final String LOG =
      """
      100   execve("/usr/bin/app", ["app", "--selftest"], 0x7ffd /* 4 vars */) = 0
      100   +++ exited with 0 +++
      """;

  @TempDir Path tmp;
  FakeEngine engine;
  List<String> warnings;
  List<String> infos;

  @BeforeEach
  void fixture() {
    engine = new FakeEngine();
    warnings = new ArrayList<>();
    infos = new ArrayList<>();
    var f = engine.containerFiles;
    for (String dir :
        List.of(
            "/etc/",
            "/usr/",
            "/usr/bin/",
            "/usr/lib/",
            LIB + "/",
            "/tmp/",
            "/opt/",
            "/opt/app/",
            "/usr/share/app/",
            "/var/",
            "/var/lib/",
            "/var/lib/dpkg/",
            "/var/lib/dpkg/info/",
            "/var/lib/dpkg/updates/",
            "/var/lib/app/")) {
      f.put(dir, new byte[0]);
    }
    f.put("/lib", bytes("-> usr/lib"));
    f.put("/bin", bytes("-> usr/bin"));
    f.put(LIB + "/ld-linux-x86-64.so.2", ElfFixture.x86_64().soname("ld.so").bytes());
    f.put(LIB + "/libc.so.6", ElfFixture.x86_64().soname("libc.so.6").bytes());
    f.put(LIB + "/libunused.so.1", ElfFixture.x86_64().soname("libunused.so.1").bytes());
    f.put(
        "/usr/bin/app",
        ElfFixture.x86_64().interpreter(LIB + "/ld-linux-x86-64.so.2").needed("libc.so.6").bytes());
    f.put("/usr/share/app/templates.txt", bytes("templates"));
    f.put("/opt/app/app.jar", bytes("PK"));
    f.put("/etc/passwd", bytes("root:x:0:0:root:/root:/bin/sh\n"));
    f.put(
        "/var/lib/dpkg/status",
        bytes(
            """
            Package: libc6
            Status: install ok installed
            Priority: optional
            Architecture: amd64
            Multi-Arch: same
            Version: 2.36-9

            Package: bash
            Status: install ok installed
            Essential: yes
            Priority: required
            Architecture: amd64
            Version: 5.2
            Depends: libc6

            Package: app
            Status: install ok installed
            Architecture: amd64
            Version: 1.0
            Depends: libc6

            Package: unused
            Status: install ok installed
            Architecture: amd64
            Version: 1.0

            """));
    f.put(
        "/var/lib/dpkg/info/libc6:amd64.list",
        bytes(
            "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n"
                + "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"));
    f.put("/var/lib/dpkg/info/bash.list", bytes("/.\n/bin\n"));
    f.put(
        "/var/lib/dpkg/info/app.list",
        bytes("/.\n/usr\n/usr/bin\n/usr/bin/app\n/usr/share/app\n/usr/share/app/templates.txt\n"));
    f.put(
        "/var/lib/dpkg/info/app.md5sums",
        bytes("aa  usr/bin/app\nbb  usr/share/app/templates.txt\n"));
    f.put("/var/lib/dpkg/info/unused.list", bytes("/.\n/lib/x86_64-linux-gnu/libunused.so.1\n"));
    for (String added :
        List.of(
            "/usr/bin/app",
            "/usr/share/app/templates.txt",
            "/opt/app",
            "/opt/app/app.jar",
            "/var/lib/app",
            "/var/lib/dpkg/info/app.list",
            "/var/lib/dpkg/status")) {
      engine.diff.add(new Change(Change.Kind.ADDED, added));
    }
    engine.traceLogs.put(FakeEngine.COMMITTED_ID, LOG);
  }

  @Test
  void trace_default_packages_keepsTheUsersFilesTheRestOfThePackageAndATruthfulDatabase()
      throws Exception {
    TraceResult result = workflows().trace(request(Optional.empty()));

    assertEquals(KeepStrategy.PACKAGES, result.keep());
    Map<String, String> layer = loadedLayer();
    assertTrue(layer.containsKey("/usr/share/app/templates.txt"), "the rest of app");
    assertTrue(layer.containsKey("/opt/app/app.jar"), "the user's jar");
    assertTrue(layer.containsKey("/var/lib/app"), "a directory of the change set");
    assertTrue(layer.containsKey("/etc/passwd"), "a runtime basic");
    assertFalse(layer.containsKey(LIB + "/libunused.so.1"));
    String status = layer.get("/var/lib/dpkg/status");
    assertTrue(status.contains("Package: app\n"), status);
    assertTrue(status.contains("Package: libc6\n"), status);
    assertFalse(status.contains("Package: unused"), status);
    assertFalse(status.contains("Package: bash"), "bash has only /bin, a directory: " + status);
    assertEquals(
        "/.\n/usr\n/usr/bin\n/usr/bin/app\n/usr/share/app\n/usr/share/app/templates.txt\n",
        layer.get("/var/lib/dpkg/info/app.list"));
    assertTrue(layer.containsKey("/var/lib/dpkg/info/libc6:amd64.list"));
    assertFalse(layer.containsKey("/var/lib/dpkg/info/unused.list"));
    assertTrue(layer.containsKey("/var/lib/dpkg/updates"), "dpkg opens it");
    Map<String, PackageUsage.State> states = new TreeMap<>();
    result.slim().packages().forEach(p -> states.put(p.name(), p.state()));
    assertEquals(
        Map.of(
            "app", PackageUsage.State.WHOLE,
            "libc6", PackageUsage.State.WHOLE,
            "bash", PackageUsage.State.DROPPED,
            "unused", PackageUsage.State.DROPPED),
        states);
    assertTrue(result.verified());
  }

  @Test
  void trace_noPackageDatabase_packagesFallsBackToTraced() throws Exception {
    engine.containerFiles.keySet().removeIf(p -> p.startsWith("/var/lib/dpkg"));
    TraceResult result = workflows().trace(request(Optional.of(KeepStrategy.PACKAGES)));
    assertEquals(KeepStrategy.TRACED, result.keep());
    assertTrue(infos.stream().anyMatch(i -> i.contains("no package database")), infos.toString());
    assertTrue(loadedLayer().containsKey("/opt/app/app.jar"), "the user's file, as in traced");
  }

  @Test
  void trace_brokenStatus_errorNamesFileAndLine_theStaticSlimGoesOnWithAWarning() throws Exception {
    engine.containerFiles.put(
        "/var/lib/dpkg/status", bytes("Package: app\nStatus: install ok installed\noops\n"));
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class, () -> workflows().trace(request(Optional.empty())));
    assertTrue(e.getMessage().contains("/var/lib/dpkg/status:3"), e.getMessage());

    new Workflows(engine, reporter(), clock(), store()).slim(request(Optional.empty()).slim());
    assertTrue(
        warnings.stream().anyMatch(w -> w.contains("/var/lib/dpkg/status:3")), warnings.toString());
  }

  private TraceRequest request(Optional<KeepStrategy> keep) {
    SlimRequest slim = SlimRequest.builder("app").keep(keep).build();
    return new TraceRequest(
        slim,
        List.of("app --selftest"),
        Optional.empty(),
        new ProbeOptions(
            "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5)),
        false,
        true,
        false,
        Optional.empty(),
        false,
        TraceRequest.DEFAULT_CONFIG_TIMEOUT,
        Optional.empty());
  }

  private Workflows workflows() {
    return new Workflows(engine, reporter(), clock(), store());
  }

  private Reporter reporter() {
    return new Reporter() {
      @Override
      public void step(String message) {}

      @Override
      public void info(String message) {
        infos.add(message);
      }

      @Override
      public void warn(String message) {
        warnings.add(message);
      }

      @Override
      public void debug(String message) {}
    };
  }

  private static Clock clock() {
    return Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  }

  private ProfileStore store() {
    return new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader());
  }

  /** Path → content (ISO-8859-1; "" for non-files) of the layer of the last archive loaded. */
  private Map<String, String> loadedLayer() throws Exception {
    byte[] archive = engine.loaded.get(engine.loaded.size() - 1);
    try (RootFs a = new TarRootFsReader().read(new ByteArrayInputStream(archive), tmp)) {
      FsNode.RegularFile layer =
          a.nodes()
              .filter(n -> n.path().endsWith("/layer.tar"))
              .map(n -> (FsNode.RegularFile) n)
              .findFirst()
              .orElseThrow();
      try (InputStream in = layer.content().open();
          RootFs fs = new TarRootFsReader().read(in, tmp)) {
        Map<String, String> out = new TreeMap<>();
        for (FsNode n : fs.nodes().toList()) {
          out.put(
              n.path(),
              n instanceof FsNode.RegularFile f
                  ? new String(f.content().open().readAllBytes(), StandardCharsets.ISO_8859_1)
                  : "");
        }
        return out;
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
