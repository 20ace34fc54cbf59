package dev.skinnywhale.profile;

import java.util.List;
import java.util.Optional;

/** Small profiles built in code. */
final class Fixtures {
  private Fixtures() {}

  static Profile traced(List<ProfileEntry> entries) {
    return new Profile(
        Profile.SCHEMA_VERSION,
        "app-jre",
        "Traced by skinnywhale (ptrace) in jre running: java -version.",
        Optional.of(new ProfileSource("sha256:abc", Optional.of("jre"), Optional.of("amd64"))),
        TracerKind.PTRACE,
        List.of(
            new RecordedCommand("java -version", 0), new RecordedCommand("java -cp /app Main", 3)),
        List.of("/usr/lib/jvm/*/lib/server/libjvm.so"),
        entries);
  }

  static Profile sample() {
    return traced(
        List.of(
            ProfileEntry.of("/usr/lib/jvm/j17/lib/server/libjvm.so", EntryType.FILE, Why.OPENED),
            ProfileEntry.of("/usr/bin/java", EntryType.SYMLINK, Why.EXEC, Why.SYMLINK_HOP),
            ProfileEntry.neededBy(
                "/usr/lib/x86_64-linux-gnu/libz.so.1",
                EntryType.SYMLINK,
                "/usr/lib/jvm/j17/lib/libzip.so"),
            ProfileEntry.of("/usr/lib/jvm/j17/lib", EntryType.DIR, Why.LISTED, Why.STAT),
            ProfileEntry.of("/usr/share/zoneinfo/**", EntryType.GLOB, Why.INCLUDE)));
  }

  static Profile handWritten(String name, List<String> markers, List<ProfileEntry> entries) {
    return new Profile(
        Profile.SCHEMA_VERSION,
        name,
        "hand-written " + name,
        Optional.empty(),
        TracerKind.HAND_WRITTEN,
        List.of(),
        markers,
        entries);
  }
}
