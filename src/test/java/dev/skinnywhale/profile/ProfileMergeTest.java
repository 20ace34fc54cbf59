package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProfileMergeTest {
  private static Profile a() {
    return Fixtures.traced(
        List.of(
            ProfileEntry.of("/a", EntryType.FILE, Why.OPENED),
            ProfileEntry.of("/both", EntryType.FILE, Why.STAT)));
  }

  private static Profile b() {
    return new Profile(
        Profile.SCHEMA_VERSION,
        "other",
        "b",
        Optional.empty(),
        TracerKind.HAND_WRITTEN,
        List.of(new RecordedCommand("python3 -V", 0)),
        List.of("/usr/bin/python3*", "/usr/lib/jvm/*/lib/server/libjvm.so"),
        List.of(
            ProfileEntry.neededBy("/both", EntryType.SYMLINK, "/bin/x"),
            ProfileEntry.of("/b/**", EntryType.GLOB, Why.INCLUDE)));
  }

  @Test
  void merge_twoProfiles_unitesEntriesCommandsAndMarkers() {
    Profile m = ProfileMerge.merge(a(), b(), "merged");
    assertEquals("merged", m.name());
    assertEquals(
        List.of(
            ProfileEntry.of("/a", EntryType.FILE, Why.OPENED),
            ProfileEntry.of("/b/**", EntryType.GLOB, Why.INCLUDE),
            new ProfileEntry(
                "/both",
                EntryType.FILE,
                new TreeSet<>(Set.of(Why.STAT, Why.NEEDED_BY)),
                Optional.of("/bin/x"))),
        m.entries());
    assertEquals(
        List.of("java -version", "java -cp /app Main", "python3 -V"),
        m.commands().stream().map(RecordedCommand::run).toList());
    assertEquals(List.of("/usr/bin/python3*", "/usr/lib/jvm/*/lib/server/libjvm.so"), m.markers());
    assertEquals(TracerKind.HAND_WRITTEN, m.tracer());
    assertEquals(Optional.empty(), m.source());
  }

  @Test
  void merge_sameTracerAndSource_keepsThem() {
    Profile m = ProfileMerge.merge(a(), a(), "again");
    assertEquals(a().source(), m.source());
    assertEquals(TracerKind.PTRACE, m.tracer());
    assertEquals(a().entries(), m.entries());
  }

  @Test
  void merge_doesNotChangeItsInputs() {
    Profile before = a();
    ProfileMerge.merge(before, b(), "m");
    assertEquals(a(), before);
  }
}
