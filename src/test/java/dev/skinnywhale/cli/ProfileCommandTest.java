package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.profile.ProfileException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProfileCommandTest {
  @TempDir Path work;
  @TempDir Path home;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static final String A =
      """
      {
        "schemaVersion": 1,
        "name": "a",
        "comment": "Profile A. Made by hand.",
        "tracer": "hand-written",
        "commands": [],
        "markers": [],
        "entries": [
          { "path": "/etc/hosts", "type": "file", "why": ["opened"] },
          { "path": "/old", "type": "file", "why": ["opened"] }
        ]
      }
      """;

  private static final String B =
      """
      {
        "schemaVersion": 1,
        "name": "b",
        "comment": "Profile B.",
        "tracer": "ptrace",
        "commands": [ { "run": "true", "exitCode": 0 } ],
        "markers": [ "/etc/hosts" ],
        "entries": [
          { "path": "/etc/hosts", "type": "file", "why": ["opened", "stat"] },
          { "path": "/new", "type": "dir", "why": ["listed"] }
        ]
      }
      """;

  private int run(String... args) throws Exception {
    Files.createDirectories(work.resolve("profiles"));
    Files.writeString(work.resolve("profiles/a.json"), A);
    Files.writeString(work.resolve("profiles/b.json"), B);
    CliContext ctx =
        new CliContext(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("HOME", home.toString()),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            new ObjectMapper(),
            () -> {
              throw new AssertionError("no engine needed");
            });
    CommandLine cli = new CommandLine(new ProfileCommand(ctx, work));
    cli.setExecutionExceptionHandler(new ErrorHandler(ctx.err()));
    cli.setOut(new java.io.PrintWriter(ctx.out(), true));
    cli.setErr(new java.io.PrintWriter(ctx.err(), true));
    return cli.execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void list_projectAndShipped_oneLineEach() throws Exception {
    assertEquals(0, run("list"));
    String text = out();
    assertTrue(text.startsWith("NAME "), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("a +project +Profile A\\.")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("jvm ") && l.contains(" shipped ")), text);
    assertEquals(1 + 2 + 7, text.lines().count(), text);
  }

  @Test
  void list_profilesDirBeforeOrAfterSubcommand_isUsed() throws Exception {
    Path custom = work.resolve("custom");
    Files.createDirectories(custom);
    Files.writeString(custom.resolve("c.json"), A.replace("\"name\": \"a\"", "\"name\": \"c\""));
    assertEquals(0, run("--profiles-dir", custom.toString(), "list"));
    assertTrue(out().lines().anyMatch(l -> l.matches("c +user +Profile A\\.")), out());
    out.reset();
    assertEquals(0, run("list", "--profiles-dir", custom.toString()));
    assertTrue(out().lines().anyMatch(l -> l.matches("c +user +Profile A\\.")), out());
  }

  @Test
  void show_name_printsCanonicalJson() throws Exception {
    assertEquals(0, run("show", "a"));
    assertEquals(A, out());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("(project)"));
  }

  @Test
  void show_shipped_printsIt() throws Exception {
    assertEquals(0, run("show", "tzdata"));
    assertTrue(out().contains("\"name\": \"tzdata\""), out());
  }

  @Test
  void show_unknown_failsNamingIt() throws Exception {
    int code = run("show", "nosuch");
    assertEquals(ExitCodes.of(new ProfileException("x", "y")), code);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("nosuch: no such profile"), err.toString());
  }

  @Test
  void diff_twoProfiles_printsChanges() throws Exception {
    assertEquals(0, run("diff", "a", "b"));
    assertEquals("~ /etc/hosts (opened → opened, stat)\n+ /new\n- /old\n", out());
  }

  @Test
  void merge_twoProfiles_writesFile() throws Exception {
    assertEquals(0, run("merge", "a", "b", "-o", "ab.json"));
    String merged = Files.readString(work.resolve("ab.json"));
    assertTrue(merged.contains("\"name\": \"ab\""), merged);
    assertTrue(
        merged.contains(
            "{ \"path\": \"/etc/hosts\", \"type\": \"file\", \"why\": [\"opened\", \"stat\"] }"),
        merged);
    assertTrue(merged.contains("\"path\": \"/new\""), merged);
    assertTrue(merged.contains("\"path\": \"/old\""), merged);
    assertEquals("ab.json: 3 entries, 1 markers, 1 commands\n", out());
  }

  @Test
  void merge_withName_usesIt() throws Exception {
    assertEquals(0, run("merge", "a", "b", "-o", "x.json", "--name", "team-base"));
    assertTrue(Files.readString(work.resolve("x.json")).contains("\"name\": \"team-base\""));
  }

  @Test
  void merge_withoutOutput_isUsageError() throws Exception {
    assertEquals(2, run("merge", "a", "b"));
  }
}
