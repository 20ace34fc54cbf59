package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad usage is exit 2, one line, and a hint that names the whole command. */
class UsageErrorsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Bad:Tag:x | skinnywhale: not a container or image reference: \"Bad:Tag:x\"",
        "trace --timeout 99999999999999 --run true x | skinnywhale: --timeout must be from 1 to"
            + " 86400 seconds (24 hours), got 99999999999999",
        "trace --run-file /dev/zero x | skinnywhale: --run-file /dev/zero: larger than 4 MiB",
      })
  void usageError_message(String args, String start) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.commandLine(context(err)).execute(args.split(" "));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.USAGE, code, text);
    assertTrue(text.startsWith(start), text);
    assertEquals(2, text.lines().count(), text);
  }

  private static CliContext context(ByteArrayOutputStream err) {
    return new CliContext(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(),
        Clock.systemUTC(),
        new ObjectMapper(),
        () -> {
          throw new AssertionError("no engine is needed to refuse bad usage");
        });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "trace --timeout 0 --run true x | skinnywhale trace",
        "trace --cap-add ALL x | skinnywhale trace",
        "trace --env NOEQUALS --run true x | skinnywhale trace",
        "build x | skinnywhale build",
        "--tag Bad:Tag:x x | skinnywhale",
        "profile show | skinnywhale profile show",
        "trace --run-file /dev/zero x | skinnywhale trace",
        "trace --timeout 99999999999999 --run true x | skinnywhale trace",
        "trace --timeout 86401 --run true x | skinnywhale trace",
        "trace --config-timeout 99999999999999 x | skinnywhale trace",
        "Bad:Tag:x | skinnywhale",
        "trace --run true x;y | skinnywhale trace",
        "build --profile jvm docker://127.0.0.1:5000/App:1 | skinnywhale build",
        "--base Bad:Tag:x img | skinnywhale",
      })
  void usageError_exit2_hintNamesTheCommand(String args, String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext context =
        new CliContext(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            Clock.systemUTC(),
            new ObjectMapper(),
            () -> {
              throw new AssertionError("no engine is needed to refuse bad usage");
            });
    int code = Main.commandLine(context).execute(args.split(" "));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.USAGE, code, text);
    assertTrue(text.contains("Try '" + command + " --help' for more information."), text);
  }
}
