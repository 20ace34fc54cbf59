package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {
  private static ProfileBuilder start() {
    return new ProfileBuilder("app", TracerKind.PTRACE)
        .source(new ProfileSource("sha256:1", Optional.of("jre"), Optional.of("amd64")))
        .command("java -version", 0);
  }

  @Test
  void build_sameFactsInAnyOrder_sameBytes() {
    ProfileJson json = new ProfileJson();
    Profile one =
        start()
            .add("/usr/bin/java", EntryType.SYMLINK, Why.EXEC)
            .add("/etc/hosts", EntryType.FILE, Why.OPENED)
            .neededBy("/lib/libz.so.1", EntryType.FILE, "/usr/lib/jvm/j/lib/libzip.so")
            .neededBy("/lib/libz.so.1", EntryType.FILE, "/usr/lib/jvm/j/lib/libjava.so")
            .add("/etc/hosts", EntryType.FILE, Why.STAT)
            .build();
    Profile two =
        start()
            .add("/etc/hosts", EntryType.FILE, Why.STAT, Why.OPENED)
            .neededBy("/lib/libz.so.1", EntryType.FILE, "/usr/lib/jvm/j/lib/libjava.so")
            .add("/usr/bin/java", EntryType.SYMLINK, Why.EXEC)
            .neededBy("/lib/libz.so.1", EntryType.FILE, "/usr/lib/jvm/j/lib/libzip.so")
            .build();
    assertEquals(json.write(one), json.write(two));
    assertEquals(Optional.of("/usr/lib/jvm/j/lib/libjava.so"), one.entries().get(1).neededBy());
  }

  @Test
  void build_withoutComment_generatesOneWithoutTime() {
    assertEquals(
        "Traced by skinnywhale (ptrace) in jre (sha256:1) running: java -version.",
        start().build().comment());
  }

  @Test
  void add_neededByWithoutFile_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> start().add("/x", EntryType.FILE, Why.NEEDED_BY));
  }

  @Test
  void addAll_entries_roundTrip() {
    Profile p = Fixtures.sample();
    Profile rebuilt =
        new ProfileBuilder(p.name(), p.tracer())
            .source(p.source().orElseThrow())
            .comment(p.comment())
            .command("java -version", 0)
            .command("java -cp /app Main", 3)
            .marker("/usr/lib/jvm/*/lib/server/libjvm.so")
            .addAll(p.entries())
            .build();
    assertEquals(p, rebuilt);
  }
}
