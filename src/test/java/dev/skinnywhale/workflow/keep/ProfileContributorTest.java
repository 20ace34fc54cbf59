package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileEntry;
import dev.skinnywhale.profile.ProfileSource;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.profile.TracerKind;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What profiles name, re-checked against this image. */
class ProfileContributorTest {
  static final RootFs FS =
      RootFs.of(
          List.of(
              new FsNode.Symlink("/etc/localtime", NodeMeta.of(0777), "/usr/share/zoneinfo/UTC"),
              file("/usr/share/zoneinfo/UTC"),
              file("/etc/nsswitch.conf")));

  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void contribute_entriesTheImageHas_keptForTheProfileWithWhatTheyPointTo() {
    KeepPlan plan = contribute(false, stored("tz", Optional.empty(), "/etc/localtime"));
    assertEquals(Set.of("/etc/localtime", "/usr/share/zoneinfo/UTC"), plan.entries().keySet());
    assertTrue(
        plan.entries().values().stream().allMatch(e -> e.reasons().equals(Set.of(Reason.PROFILE))));
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void contribute_missingEntries_warnedNamingTheProfileAndTheFirstFive() {
    List<String> entries = new ArrayList<>(List.of("/etc/nsswitch.conf"));
    for (int i = 1; i <= 6; i++) {
      entries.add("/opt/gone" + i);
    }
    KeepPlan plan =
        contribute(false, stored("app", Optional.empty(), entries.toArray(new String[0])));
    assertEquals(Set.of("/etc/nsswitch.conf"), plan.entries().keySet());
    assertEquals(
        List.of(
            "profile app (/profiles/app.json): 6 entries not in img: /opt/gone1, /opt/gone2,"
                + " /opt/gone3, /opt/gone4, /opt/gone5, ..."),
        reporter.warnings);
  }

  @Test
  void contribute_strictWithAMissingEntry_unusableInputAndNothingAdded() {
    KeepPlan.Builder plan = KeepPlan.builder();
    ProfileContributor strict =
        new ProfileContributor(
            List.of(stored("app", Optional.empty(), "/etc/nsswitch.conf", "/opt/gone")), true);
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> strict.contribute(TraceFixture.snapshot(FS, TracedPaths.none()), plan, reporter));
    assertTrue(e.getMessage().contains("/opt/gone"), e.getMessage());
    assertEquals(Set.of(), plan.build().entries().keySet());
  }

  @Test
  void contribute_profileMadeFromAnotherImage_saidWithDebugOnly() {
    ProfileSource other = new ProfileSource("sha256:other", Optional.of("old"), Optional.empty());
    contribute(false, stored("app", Optional.of(other), "/etc/nsswitch.conf"));
    assertEquals(1, reporter.debugs.size(), reporter.all.toString());
    assertTrue(reporter.debugs.get(0).contains("sha256:other"), reporter.debugs.get(0));
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void contribute_severalProfiles_allKept() {
    KeepPlan plan =
        contribute(
            false,
            stored("a", Optional.empty(), "/etc/nsswitch.conf"),
            stored("b", Optional.empty(), "/usr/share/zoneinfo/UTC"));
    assertEquals(
        Set.of("/etc/nsswitch.conf", "/usr/share/zoneinfo/UTC"),
        plan.entries().keySet().stream().collect(Collectors.toSet()));
  }

  private KeepPlan contribute(boolean strict, ProfileStore.Stored... profiles) {
    KeepPlan.Builder plan = KeepPlan.builder();
    new ProfileContributor(List.of(profiles), strict)
        .contribute(TraceFixture.snapshot(FS, TracedPaths.none()), plan, reporter);
    return plan.build();
  }

  private static ProfileStore.Stored stored(
      String name, Optional<ProfileSource> source, String... paths) {
    List<ProfileEntry> entries =
        Arrays.stream(paths).map(p -> ProfileEntry.of(p, EntryType.FILE, Why.OPENED)).toList();
    Profile profile =
        new Profile(
            Profile.SCHEMA_VERSION,
            name,
            "test",
            source,
            source.isPresent() ? TracerKind.PTRACE : TracerKind.HAND_WRITTEN,
            List.of(),
            List.of(),
            entries);
    return new ProfileStore.Stored(
        name, ProfileStore.Origin.PROJECT, "/profiles/" + name + ".json", profile);
  }
}
