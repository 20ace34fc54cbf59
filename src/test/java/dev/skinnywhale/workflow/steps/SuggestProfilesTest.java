package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.RecordingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hint a static slim gives when a known profile would keep more. */
class SuggestProfilesTest {
  static final RootFs FS =
      RootFs.of(
          List.of(
              file("/usr/bin/app"),
              file("/usr/share/zoneinfo/UTC"),
              new FsNode.Directory("/etc/ssl/certs", NodeMeta.of(0755)),
              file("/usr/lib/jvm/lib/libjvm.so")));

  @TempDir Path tmp;
  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void suggest_matchingProfileWithFilesThePlanLacks_namesIt() throws Exception {
    ProfileFixture.write(
        tmp, "tzdata", List.of("/usr/share/zoneinfo/*"), "/usr/share/zoneinfo/UTC");
    ProfileFixture.write(tmp, "jvm", List.of("/usr/lib/jvm/**/libjvm.so"), "/usr/bin/app");
    suggest(KeepPlan.builder().add("/usr/bin/app", Reason.CHANGE_SET).build());
    assertEquals(1, reporter.infos.size(), reporter.all.toString());
    String note = reporter.infos.get(0);
    assertTrue(note.contains(": tzdata "), note);
    assertTrue(!note.contains("jvm"), "jvm adds nothing the plan lacks: " + note);
  }

  @Test
  void suggest_planKeepsItAll_silent() throws Exception {
    ProfileFixture.write(
        tmp, "tzdata", List.of("/usr/share/zoneinfo/*"), "/usr/share/zoneinfo/UTC");
    suggest(KeepPlan.builder().add("/usr/share/zoneinfo/UTC", Reason.CHANGE_SET).build());
    assertEquals(List.of(), reporter.all);
  }

  @Test
  void suggest_noMarkerMatches_silent() throws Exception {
    ProfileFixture.write(tmp, "python3", List.of("/usr/bin/python3*"), "/usr/share/zoneinfo/UTC");
    suggest(KeepPlan.builder().build());
    assertEquals(List.of(), reporter.all);
  }

  @Test
  void suggest_profileNamesOnlyDirectoriesOrMissingFiles_silent() throws Exception {
    ProfileFixture.write(tmp, "certs", List.of("/etc/ssl/**"), "/etc/ssl/certs", "/etc/ssl/gone");
    suggest(KeepPlan.builder().build());
    assertEquals(List.of(), reporter.all);
  }

  @Test
  void suggest_unreadableProfile_onlyADebugNote() throws Exception {
    Files.createDirectories(tmp.resolve("profiles"));
    Files.writeString(tmp.resolve("profiles/broken.json"), "{ not json");
    suggest(KeepPlan.builder().build());
    assertEquals(List.of(), reporter.infos);
    assertEquals(List.of(), reporter.warnings);
    assertEquals(1, reporter.debugs.size());
    assertTrue(reporter.debugs.get(0).startsWith("no profile suggestion"), reporter.debugs.get(0));
  }

  private void suggest(KeepPlan plan) {
    new SuggestProfiles(reporter, ProfileFixture.store(tmp)).suggest(FS, plan);
  }
}
