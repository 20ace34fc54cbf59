package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.RecordingReporter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the image config needs to start: user database, working directory, /tmp, entrypoint. */
class RuntimeConfigContributorTest {
  static final RootFs FS =
      RootFs.of(
          List.of(
              file("/etc/passwd"),
              file("/etc/group"),
              new FsNode.Directory("/tmp", NodeMeta.of(01777)),
              new FsNode.Directory("/srv/app", NodeMeta.of(0750)),
              new FsNode.Symlink("/app", NodeMeta.of(0777), "srv/app"),
              file("/srv/app/not-a-dir"),
              file("/opt/bin/server"),
              file("/usr/bin/server"),
              new FsNode.Symlink("/usr/bin/python3", NodeMeta.of(0777), "python3.11"),
              file("/usr/bin/python3.11")));

  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void contribute_userByName_keepsPasswdAndGroup() {
    assertKeepsUserDb(true, config(c -> c.put("User", "app")), Optional.empty());
    assertKeepsUserDb(true, config(c -> c.put("User", "1000:staff")), Optional.empty());
    assertKeepsUserDb(true, config(c -> {}), Optional.of("app"));
  }

  @Test
  void contribute_numericUserOrNone_noUserDb() {
    assertKeepsUserDb(false, config(c -> c.put("User", "1000:1000")), Optional.empty());
    assertKeepsUserDb(false, config(c -> c.put("User", "1000")), Optional.of("0:0"));
    assertKeepsUserDb(false, config(c -> {}), Optional.empty());
  }

  @Test
  void contribute_workingDirAndTmp_keptAsDirectoriesWithTheirHops() {
    Map<String, Set<Reason>> kept =
        reasons(
            contribute(
                config(c -> c.put("WorkingDir", "/app")), Optional.empty(), Optional.empty()));
    assertEquals(Set.of(Reason.CONFIG), kept.get("/tmp"));
    assertEquals(Set.of(Reason.CONFIG), kept.get("/srv/app"));
    assertEquals(Set.of(Reason.SYMLINK_HOP), kept.get("/app"));
    assertFalse(
        contribute(config(c -> {}), Optional.empty(), Optional.empty())
            .entries()
            .get("/tmp")
            .recursive(),
        "/tmp kept with its contents");
  }

  @Test
  void contribute_probeWorkdirToo_butNotAFileOrAMissingDirectory() {
    Map<String, Set<Reason>> kept =
        reasons(
            contribute(
                config(c -> c.put("WorkingDir", "/srv/app/not-a-dir")),
                Optional.empty(),
                Optional.of("/srv/app")));
    assertTrue(kept.containsKey("/srv/app"));
    assertFalse(kept.containsKey("/srv/app/not-a-dir"));
    assertFalse(
        reasons(
                contribute(
                    config(c -> c.put("WorkingDir", "/nope")), Optional.empty(), Optional.empty()))
            .containsKey("/nope"));
  }

  @Test
  void contribute_entrypointFoundOnTheImagePath() {
    KeepPlan plan =
        contribute(
            config(
                c -> {
                  c.putArray("Env").add("PATH=/opt/bin:/usr/bin");
                  c.putArray("Entrypoint").add("server").add("--port=80");
                  c.putArray("Cmd").add("python3");
                }),
            Optional.empty(),
            Optional.empty());
    assertTrue(plan.entries().containsKey("/opt/bin/server"), plan.entries().toString());
    assertFalse(plan.entries().containsKey("/usr/bin/server"), "not the first on PATH");
    assertFalse(plan.entries().containsKey("/usr/bin/python3.11"), "Cmd is an argument here");
  }

  @Test
  void contribute_noEntrypoint_theCommandsProgramWithItsLink() {
    Map<String, Set<Reason>> kept =
        reasons(
            contribute(
                config(
                    c -> {
                      c.putArray("Env").add("PATH=/usr/bin");
                      c.putArray("Entrypoint");
                      c.putArray("Cmd").add("python3").add("-m").add("http.server");
                    }),
                Optional.empty(),
                Optional.empty()));
    assertEquals(Set.of(Reason.CONFIG), kept.get("/usr/bin/python3.11"));
    assertEquals(Set.of(Reason.SYMLINK_HOP), kept.get("/usr/bin/python3"));
  }

  @Test
  void contribute_entrypointNotInTheImage_nothing() {
    KeepPlan plan =
        contribute(
            config(c -> c.putArray("Entrypoint").add("/usr/local/bin/gone")),
            Optional.empty(),
            Optional.empty());
    assertEquals(Set.of("/tmp"), plan.entries().keySet());
  }

  private void assertKeepsUserDb(boolean expected, ObjectNode config, Optional<String> probeUser) {
    KeepPlan plan = contribute(config, probeUser, Optional.empty());
    assertEquals(
        expected,
        plan.entries().containsKey("/etc/passwd") && plan.entries().containsKey("/etc/group"),
        config + " probe user " + probeUser + ": " + plan.entries().keySet());
    assertEquals(
        expected,
        plan.entries().containsKey("/etc/passwd") || plan.entries().containsKey("/etc/group"));
  }

  private KeepPlan contribute(
      ObjectNode imageConfig, Optional<String> probeUser, Optional<String> probeWorkdir) {
    KeepPlan.Builder plan = KeepPlan.builder();
    Snapshot snapshot =
        new Snapshot(FS, TraceFixture.source(imageConfig), Optional.empty(), TracedPaths.none());
    new RuntimeConfigContributor(probeUser, probeWorkdir).contribute(snapshot, plan, reporter);
    return plan.build();
  }

  private static ObjectNode config(Consumer<ObjectNode> fields) {
    ObjectNode image = new ObjectMapper().createObjectNode();
    fields.accept(image.putObject("config"));
    return image;
  }

  private static Map<String, Set<Reason>> reasons(KeepPlan plan) {
    return plan.entries().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().reasons()));
  }
}
