package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skinnywhale.profile.ProfileException;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which profiles a build uses: named ones in order, "auto" by markers, each once. */
class LoadProfilesTest {
  static final RootFs FS =
      RootFs.of(List.of(file("/usr/bin/alpha"), file("/opt/beta/lib/beta.so"), file("/etc/x")));

  @TempDir Path tmp;
  final RecordingReporter reporter = new RecordingReporter();
  Run run;
  LoadProfiles load;

  @BeforeEach
  void profiles() throws Exception {
    ProfileFixture.write(tmp, "alpha", List.of("/usr/bin/alpha"), "/etc/x");
    ProfileFixture.write(tmp, "beta", List.of("/opt/beta/**/*.so"), "/etc/x");
    ProfileFixture.write(tmp, "gamma", List.of("/usr/lib/gamma/*"), "/etc/x");
    run = Run.open(new FakeEngine(), reporter, CLOCK);
    load = new LoadProfiles(run, ProfileFixture.store(tmp));
  }

  @AfterEach
  void close() {
    run.close();
  }

  @Test
  void load_none_nothingAndNoStepRun() {
    assertEquals(List.of(), load.load(List.of(), FS));
    assertEquals(List.of(), reporter.steps);
    assertEquals(Map.of(), run.steps().timings());
  }

  @Test
  void load_named_inTheOrderGivenWhateverTheMarkers() {
    assertEquals(List.of("gamma", "alpha"), names(load.load(List.of("gamma", "alpha"), FS)));
    assertEquals(List.of("loading profiles gamma, alpha"), reporter.steps);
  }

  @Test
  void load_auto_everyProfileWhoseMarkersMatch() {
    assertEquals(List.of("alpha", "beta"), names(load.load(List.of("auto"), FS)));
    assertEquals(List.of("--profile auto picked: alpha, beta"), reporter.infos);
  }

  @Test
  void load_autoAndNamed_eachOnceInFirstOrder() {
    assertEquals(
        List.of("beta", "alpha"), names(load.load(List.of("beta", "auto", "alpha", "beta"), FS)));
  }

  @Test
  void load_autoMatchingNothing_saysNone() {
    RootFs bare = RootFs.of(List.of(file("/etc/x")));
    assertEquals(List.of(), load.load(List.of("auto"), bare));
    assertEquals(List.of("--profile auto picked: none"), reporter.infos);
  }

  /**
   * "auto" asks {@code ProfileApplier.auto} which profiles match, then takes back every stored
   * profile with a matching profile name: a second file whose profile carries the same name is
   * taken although its own markers match nothing.
   */
  @Test
  void load_autoWithTwoFilesOfOneProfileName_onlyTheOneWhoseMarkersMatch() throws Exception {
    // An edited copy of a profile under another file name, its name inside left as it was.
    Files.writeString(
        tmp.resolve("profiles/alpha-copy.json"),
        Files.readString(tmp.resolve("profiles/gamma.json")).replace("\"gamma\"", "\"alpha\""));
    assertEquals(List.of("alpha", "beta"), names(load.load(List.of("auto"), FS)));
  }

  @Test
  void load_unknownName_profileException() {
    assertThrows(ProfileException.class, () -> load.load(List.of("nope"), FS));
  }

  private static List<String> names(List<ProfileStore.Stored> stored) {
    return stored.stream().map(ProfileStore.Stored::name).toList();
  }
}
