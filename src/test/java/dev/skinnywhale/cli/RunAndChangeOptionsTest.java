package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --change and the probe's run options on the command line: a bad or privileged one is a usage
 * error (exit 2) with the reason, before the engine is asked anything; --help lists them.
 */
class RunAndChangeOptionsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    CliContext ctx =
        new CliContext(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            new ObjectMapper(),
            () -> {
              throw new AssertionError("the engine was asked");
            });
    return Main.commandLine(ctx).execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "trace --privileged img|--privileged is refused",
        "trace --cap-add ALL img|--cap-add is refused",
        "trace --device /dev/fuse img|--device is refused",
        "trace --security-opt seccomp=unconfined img|--security-opt is refused",
        "trace --pid host img|--pid is refused",
        "trace -v /var/run/docker.sock:/sock img|engine's socket",
        "trace --mount type=bind,source=/dev,target=/d img|devices or kernel interfaces",
        "trace --tmpfs /x:dev img|dev is refused",
        "trace --dns 192.0.2.53 img|--dns applies with --network host only",
        "trace --add-host db:db.example img|is not an IP address",
        "trace --tmpfs /x --mount type=tmpfs,target=/x img|Duplicate mount point",
        "trace --config-timeout 0 img|--config-timeout must be from 1 to 86400 seconds",
        "trace -c 'FOO bar' img|foo is not a valid change command",
        "img --change 'ENV'|ENV requires at least one argument",
        "build --profile auto -c 'EXPOSE x' img|Invalid containerPort: x",
      })
  void testRefused_exit2BeforeTheEngine(String line, String reason) {
    int code = run(split(line));
    assertEquals(ExitCodes.USAGE, code, err.toString());
    assertTrue(err.toString().contains(reason), err.toString());
  }

  @Test
  void testTraceHelp_listsTheNewOptions() {
    assertEquals(0, run("trace", "--help"));
    String help = out.toString();
    for (String option :
        new String[] {
          "--run-config",
          "--config-timeout",
          "--add-host",
          "--tmpfs",
          "-v, --volume",
          "--mount",
          "--shm-size",
          "--ulimit",
          "--dns",
          "-c, --change",
          "Exit codes:"
        }) {
      assertTrue(help.contains(option), option + " missing from:\n" + help);
    }
    assertTrue(
        help.lines().noneMatch(l -> l.strip().startsWith("--privileged")),
        "the refused options are hidden");
  }

  @Test
  void testSlimAndBuildHelp_listChange() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("-c, --change"), out.toString());
    out.reset();
    assertEquals(0, run("build", "--help"));
    assertTrue(out.toString().contains("-c, --change"), out.toString());
  }

  /** Words of a test line; single quotes group. */
  private static String[] split(String line) {
    java.util.List<String> words = new java.util.ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (w.length() > 0) {
          words.add(w.toString());
          w.setLength(0);
        }
      } else {
        w.append(c);
      }
    }
    if (w.length() > 0) {
      words.add(w.toString());
    }
    return words.toArray(String[]::new);
  }
}
