package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.docker.Change;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.RunOptionParser;
import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.image.ChangeParser;
import dev.skinnywhale.image.ConfigChangeException;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.KeepStrategy;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.UnusableInputException;
import dev.skinnywhale.workflow.steps.SaveProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config probe, --change and the probe's run options, over the fake engine: {@code trace}
 * without --run runs the image's Entrypoint + Cmd as a service with its healthcheck, in the source
 * and again in the slim image; --change is the slim image's config and the probes'; what a mount
 * brings is neither traced nor kept.
 */
class TraceConfigProbeTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";
  static final String TAG = "skinny-c0ffee000000:latest";

  /** What the tracer wrote for the server: its config, and a file under the bind mount. */
  static final String SERVER_LOG =
      """
      100   execve("/usr/bin/server", ["/usr/bin/server"], 0x7ffd /* 4 vars */) = 0
      100   openat(AT_FDCWD</>, "/etc/server.conf", O_RDONLY) = 3</etc/server.conf>
      100   openat(AT_FDCWD</>, "/fixtures/data.txt", O_RDONLY) = 4</fixtures/data.txt>
      100   openat(AT_FDCWD</>, "/scratch/out", O_WRONLY|O_CREAT, 0644) = 5</scratch/out>
      """;

  @TempDir Path tmp;
  FakeEngine engine;
  List<String> warnings;

  @BeforeEach
  void fixture() {
    engine = new FakeEngine();
    warnings = new ArrayList<>();
    var files = engine.containerFiles;
    for (String dir :
        List.of("/etc/", "/usr/", "/usr/bin/", "/usr/lib/", LIBDIR + "/", "/tmp/", "/fixtures/")) {
      files.put(dir, new byte[0]);
    }
    files.put("/bin", bytes("-> usr/bin"));
    files.put(LIBDIR + "/ld-linux-x86-64.so.2", ElfFixture.x86_64().soname("ld.so").bytes());
    files.put(LIBDIR + "/libc.so.6", ElfFixture.x86_64().soname("libc.so.6").bytes());
    byte[] program =
        ElfFixture.x86_64()
            .interpreter(LIBDIR + "/ld-linux-x86-64.so.2")
            .needed("libc.so.6")
            .bytes();
    files.put("/usr/bin/dash", program);
    files.put("/usr/bin/sh", bytes("-> dash"));
    files.put("/usr/bin/server", program);
    files.put("/usr/bin/other", program);
    files.put("/usr/bin/apt-get", program);
    files.put("/etc/server.conf", bytes("port=8080"));
    files.put("/fixtures/old.txt", bytes("in the image, under the mount"));
    // Also in the image: without the mount, the trace of it would keep it.
    files.put("/fixtures/data.txt", bytes("the image's, hidden by the mount"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/usr/bin/server"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/fixtures/old.txt"));
    engine.containerConfig.putArray("Cmd").add("/usr/bin/server");
    engine
        .containerConfig
        .putObject("Healthcheck")
        .put("Retries", 2)
        .putArray("Test")
        .add("CMD")
        .add("/usr/bin/server")
        .add("--health");
    engine.traceLogs.put(FakeEngine.COMMITTED_ID, SERVER_LOG);
    // A server container, up: its command is the service (a stopped one's may be its install).
    engine.containerRunning = true;
    // The server stays up; so does it in the slim image.
    engine.stillRunning = spec -> spec.cmd().orElse(List.of()).contains("/usr/bin/server");
  }

  @Test
  void trace_noRun_probesTheConfigAsAServiceWithItsHealthcheck_andVerifiesItInTheSlimImage()
      throws Exception {
    TraceResult result = workflows().trace(request(List.of(), List.of(), false, RunOptions.NONE));

    assertEquals(1, result.probes().size());
    ProbeRun probe = result.probes().get(0);
    assertEquals("config [\"/usr/bin/server\"]", probe.command().text());
    assertTrue(probe.timedOut());
    assertTrue(probe.health().orElseThrow().healthy());
    // The healthcheck ran in the probe container under its own tracer, and in the slim one plainly.
    List<String> traced = engine.execs.get(0).getValue();
    assertTrue(traced.get(0).endsWith("/tracer"), traced.toString());
    assertEquals(List.of("/usr/bin/server", "--health"), engine.execs.get(1).getValue());
    assertEquals(TAG, engine.created.get(engine.execs.get(1).getKey()));
    assertTrue(result.verified(), result.verification().toString());
    assertTrue(result.verification().get(0).slimOutcome().contains("healthy"));
    assertFalse(warnings.stream().anyMatch(w -> w.contains("has stopped")), warnings.toString());
  }

  @Test
  void trace_runConfigAsked_stoppedContainer_warnsAndProbesIt() throws Exception {
    engine.containerRunning = false;
    TraceResult result = workflows().trace(request(List.of(), List.of(), true, RunOptions.NONE));
    assertEquals("config [\"/usr/bin/server\"]", result.probes().get(0).command().text());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("has stopped")), warnings.toString());
  }

  @Test
  void trace_slimImageUnhealthy_failsVerification() throws Exception {
    engine.execExit = argv -> argv.get(0).endsWith("/tracer") ? 0 : 1;
    TraceResult result = workflows().trace(request(List.of(), List.of(), false, RunOptions.NONE));
    assertFalse(result.verified());
    assertTrue(
        result.verification().get(0).slimOutcome().contains("unhealthy"),
        result.verification().get(0).slimOutcome());
  }

  @Test
  void trace_runConfig_addsTheConfigProbeAfterTheRuns() throws Exception {
    TraceResult result =
        workflows().trace(request(List.of("server --version"), List.of(), true, RunOptions.NONE));
    assertEquals(
        List.of("server --version", "config [\"/usr/bin/server\"]"),
        result.probes().stream().map(p -> p.command().text()).toList());
  }

  @Test
  void trace_noRun_stoppedContainer_refusedUpFrontWithWhatToGive() {
    engine.containerRunning = false;
    engine.containerConfig.putArray("Cmd").add("sh").add("-c").add("apt-get install -y x");
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> workflows().trace(request(List.of(), List.of(), false, RunOptions.NONE)));
    for (String hint : List.of("--run", "--change 'CMD", "--run-config", "apt-get install -y x")) {
      assertTrue(e.getMessage().contains(hint), e.getMessage());
    }
    assertFalse(
        engine.calls.stream().anyMatch(c -> c.startsWith("commit ") || c.startsWith("export ")),
        "work was done before the refusal: " + engine.calls);
  }

  @Test
  void trace_configCommandFails_isAProbeFailureThatSaysHowToSetTheCommand() {
    engine.containerConfig.putArray("Cmd").add("sh").add("-c").add("apt-get install -y x");
    engine.containerConfig.remove("Healthcheck");
    engine.exitCodes.put(FakeEngine.COMMITTED_ID, 100);
    ProbeFailedException e =
        assertThrows(
            ProbeFailedException.class,
            () -> workflows().trace(request(List.of(), List.of(), false, RunOptions.NONE)));
    assertTrue(e.getMessage().contains("exit code 100"), e.getMessage());
    assertTrue(e.getMessage().contains("--change 'CMD"), e.getMessage());
    assertTrue(engine.loaded.isEmpty(), "an image was made");
  }

  @Test
  void trace_changeCmd_isTheSlimConfigTheProbeAndWhatIsKept() throws Exception {
    engine.stillRunning = spec -> false;
    workflows()
        .trace(
            request(
                List.of(),
                List.of("CMD [\"/usr/bin/other\", \"--serve\"]", "HEALTHCHECK NONE"),
                false,
                RunOptions.NONE));

    JsonNode config = loadedConfig().get("config");
    assertEquals("[\"/usr/bin/other\",\"--serve\"]", config.get("Cmd").toString());
    assertEquals("[\"NONE\"]", config.get("Healthcheck").get("Test").toString());
    ContainerSpec probe = engine.specs.values().iterator().next();
    List<String> cmd = probe.cmd().orElseThrow();
    assertEquals(List.of("/usr/bin/other", "--serve"), cmd.subList(cmd.size() - 2, cmd.size()));
    assertTrue(engine.execs.isEmpty(), "HEALTHCHECK NONE has no test");
    assertTrue(loadedLayerPaths().contains("/usr/bin/other"), "the new command's program");
    assertFalse(warnings.stream().anyMatch(w -> w.contains("has stopped")), warnings.toString());
  }

  @Test
  void trace_changeUserWorkdirEnv_areGivenToTheProbeContainers() throws Exception {
    workflows()
        .trace(
            request(
                List.of("server --version"),
                List.of("USER 1000", "WORKDIR /srv", "ENV MODE=test"),
                false,
                RunOptions.NONE));
    for (ContainerSpec spec : engine.specs.values()) {
      assertEquals(Optional.of("1000"), spec.user(), spec.toString());
      assertEquals(Optional.of("/srv"), spec.workingDir());
      assertTrue(spec.env().contains("MODE=test"), spec.env().toString());
    }
    assertEquals("1000", loadedConfig().get("config").get("User").asText());
  }

  @Test
  void trace_badChangeOnceExpanded_stopsBeforeAnythingIsExported() {
    assertThrows(
        ConfigChangeException.class,
        () ->
            workflows()
                .trace(
                    request(
                        List.of("x"), List.of("ENV A=${NOPE:?unset}"), false, RunOptions.NONE)));
    assertTrue(
        engine.calls.stream().noneMatch(c -> c.startsWith("export")), engine.calls.toString());
    assertTrue(
        engine.calls.stream().noneMatch(c -> c.startsWith("commit")), engine.calls.toString());
  }

  @Test
  void trace_mounts_areGivenToEveryProbeAndWhatIsUnderThemIsNeitherTracedNorKept()
      throws Exception {
    RunOptions run =
        new RunOptions(
            List.of(RunOptionParser.addHost("db:192.0.2.10")),
            List.of(RunOptionParser.tmpfs("/scratch")),
            List.of(RunOptionParser.volume("/srv/fixtures:/fixtures")),
            Optional.empty(),
            List.of(),
            List.of());
    Path file = tmp.resolve("profiles/server.json");
    TraceResult result =
        workflows()
            .trace(
                request(
                    List.of(),
                    List.of(),
                    false,
                    run,
                    Optional.of(new SaveProfile.Target("server", file))));

    assertTrue(result.verified());
    for (ContainerSpec spec : engine.specs.values()) {
      assertEquals(run, spec.run(), "a probe or verification container without the options");
    }
    Set<String> layer = loadedLayerPaths();
    assertTrue(layer.contains("/etc/server.conf"), layer.toString());
    assertFalse(layer.contains("/fixtures/data.txt"), layer.toString());
    assertFalse(layer.contains("/fixtures/old.txt"), "the change set under a mount was kept");
    assertFalse(layer.stream().anyMatch(p -> p.startsWith("/scratch")), layer.toString());
    Profile profile = new ProfileJson().read(file);
    assertEquals(run.args(), profile.commands().get(0).options());
    assertTrue(profile.entries().stream().noneMatch(e -> e.path().startsWith("/fixtures")));
  }

  @Test
  void trace_missingNamedVolume_isRefusedBeforeAnyProbe() {
    RunOptions run =
        new RunOptions(
            List.of(),
            List.of(),
            List.of(RunOptionParser.volume("fixtures:/fixtures")),
            Optional.empty(),
            List.of(),
            List.of());
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> workflows().trace(request(List.of("x"), List.of(), false, run)));
    assertTrue(e.getMessage().contains("no volume named fixtures"), e.getMessage());
    assertTrue(engine.created.isEmpty());
  }

  @Test
  void trace_noEntrypointNorCmd_saysWhatToGive() {
    engine.containerConfig.remove("Cmd");
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> workflows().trace(request(List.of(), List.of(), false, RunOptions.NONE)));
    assertTrue(e.getMessage().contains("give --run"), e.getMessage());
  }

  @Test
  void slim_change_isAppliedToThePlainSlimToo() throws Exception {
    SlimRequest slim = slimRequest(List.of("ENTRYPOINT [\"/usr/bin/other\"]"));
    new Workflows(engine, reporter(), clock(), store()).slim(slim);
    JsonNode config = loadedConfig().get("config");
    assertEquals("[\"/usr/bin/other\"]", config.get("Entrypoint").toString());
    assertTrue(config.get("Cmd").isNull(), "ENTRYPOINT clears the command: " + config);
    assertTrue(loadedLayerPaths().contains("/usr/bin/other"));
  }

  private TraceRequest request(
      List<String> runs, List<String> changes, boolean runConfig, RunOptions run) {
    return request(runs, changes, runConfig, run, Optional.empty());
  }

  private TraceRequest request(
      List<String> runs,
      List<String> changes,
      boolean runConfig,
      RunOptions run,
      Optional<SaveProfile.Target> save) {
    return new TraceRequest(
        slimRequest(changes),
        runs,
        Optional.empty(),
        new ProbeOptions(
            "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5), run),
        false,
        true,
        false,
        save,
        runConfig,
        Duration.ofSeconds(3),
        Optional.empty());
  }

  private SlimRequest slimRequest(List<String> changes) {
    return SlimRequest.builder("app")
        .keep(Optional.of(KeepStrategy.CHANGES))
        .changes(ChangeParser.parseAll(changes))
        .build();
  }

  private Workflows workflows() {
    return new Workflows(engine, reporter(), clock(), store());
  }

  private Reporter reporter() {
    return new Reporter() {
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
  }

  private static Clock clock() {
    return Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  }

  private ProfileStore store() {
    return new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader());
  }

  private Set<String> loadedLayerPaths() throws Exception {
    return LoadedArchive.layerPaths(engine, tmp);
  }

  private JsonNode loadedConfig() throws Exception {
    return LoadedArchive.config(engine, tmp);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
