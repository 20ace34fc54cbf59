package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileDiffTest {
  @Test
  void diff_addedRemovedChanged_renderedSortedByPath() {
    Profile a =
        Fixtures.traced(
            List.of(
                ProfileEntry.of("/gone", EntryType.FILE, Why.OPENED),
                ProfileEntry.of("/lib/libz.so.1", EntryType.FILE, Why.OPENED),
                ProfileEntry.of("/same", EntryType.DIR, Why.LISTED),
                ProfileEntry.of("/usr/bin/java", EntryType.FILE, Why.EXEC)));
    Profile b =
        Fixtures.traced(
            List.of(
                ProfileEntry.of("/added", EntryType.FILE, Why.STAT),
                ProfileEntry.of("/lib/libz.so.1", EntryType.FILE, Why.OPENED, Why.STAT),
                ProfileEntry.of("/same", EntryType.DIR, Why.LISTED),
                ProfileEntry.of("/usr/bin/java", EntryType.SYMLINK, Why.EXEC)));
    ProfileDiff d = ProfileDiff.diff(a, b);
    assertEquals(1, d.added().size());
    assertEquals(1, d.removed().size());
    assertEquals(2, d.changed().size());
    assertEquals(
        List.of(
            "+ /added",
            "- /gone",
            "~ /lib/libz.so.1 (opened → opened, stat)",
            "~ /usr/bin/java (file: exec → symlink: exec)"),
        d.lines());
  }

  @Test
  void diff_neededByChanged_namesBoth() {
    Profile a = Fixtures.traced(List.of(ProfileEntry.neededBy("/l.so", EntryType.FILE, "/a")));
    Profile b = Fixtures.traced(List.of(ProfileEntry.neededBy("/l.so", EntryType.FILE, "/b")));
    assertEquals(
        List.of("~ /l.so (needed-by by /a → needed-by by /b)"), ProfileDiff.diff(a, b).lines());
  }

  @Test
  void diff_sameProfile_isEmpty() {
    ProfileDiff d = ProfileDiff.diff(Fixtures.sample(), Fixtures.sample());
    assertTrue(d.isEmpty());
    assertEquals(List.of(), d.lines());
  }
}
