package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command entry's optional {@code options}: the probe's docker run options, written only when
 * there are some, read back the same, and strict as the rest of the schema.
 */
class RecordedOptionsTest {
  static final String WITH_OPTIONS =
      """
      {
        "schemaVersion": 1,
        "name": "svc",
        "comment": "Made by hand.",
        "tracer": "ptrace",
        "commands": [
          { "run": "selftest", "exitCode": 0, "options": ["--add-host", "db:192.0.2.10", "--tmpfs", "/scratch"] },
          { "run": "version", "exitCode": 0 }
        ],
        "markers": [],
        "entries": [
          { "path": "/etc/hosts", "type": "file", "why": ["opened"] }
        ]
      }
      """;

  private static Profile read(String text) {
    return new ProfileJson()
        .read("svc.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void testOptions_readAndWrittenBackTheSame() {
    Profile p = read(WITH_OPTIONS);
    assertEquals(
        List.of("--add-host", "db:192.0.2.10", "--tmpfs", "/scratch"),
        p.commands().get(0).options());
    assertEquals(List.of(), p.commands().get(1).options());
    assertEquals(WITH_OPTIONS, new ProfileJson().write(p));
  }

  @Test
  void testNoOptions_areNotWritten() {
    Profile p =
        new ProfileBuilder("svc", TracerKind.PTRACE)
            .command("version", 0)
            .add("/etc/hosts", EntryType.FILE, Why.OPENED)
            .build();
    assertFalse(new ProfileJson().write(p).contains("options"));
  }

  @Test
  void testOptions_strict() {
    ProfileException nulls =
        assertThrows(
            ProfileException.class, () -> read(WITH_OPTIONS.replace("\"/scratch\"]", "null]")));
    assertTrue(nulls.getMessage().contains("commands[0].options[3] is null"), nulls.getMessage());
    assertThrows(ProfileException.class, () -> read(WITH_OPTIONS.replace("\"/scratch\"]", "7]")));
  }
}
