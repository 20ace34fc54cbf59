package dev.skinnywhale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.cli.CliContext;
import dev.skinnywhale.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Start-up: only what a command line needs is built, and it behaves as the full one. */
class MainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final AtomicInteger mappers = new AtomicInteger();
  final CliContext context =
      new CliContext(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8),
          Map.of(),
          Clock.systemUTC(),
          Main.once(
              () -> {
                mappers.incrementAndGet();
                return new com.fasterxml.jackson.databind.ObjectMapper();
              }),
          () -> {
            throw new AssertionError("no engine is needed");
          });

  @Test
  void commandLine_subcommandFirst_onlyThatOneBuilt() {
    CommandLine cli = Main.commandLine(context, new String[] {"trace", "--help"});
    assertEquals(List.of("trace"), List.copyOf(cli.getSubcommands().keySet()));
    assertEquals(0, cli.execute("trace", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Exit codes:"), "exit codes lost");
  }

  @Test
  void commandLine_noSubcommand_allBuiltForTheTopLevelHelp() {
    String[] args = {"--help"};
    CommandLine cli = Main.commandLine(context, args);
    assertEquals(List.of("trace", "build", "profile"), List.copyOf(cli.getSubcommands().keySet()));
    assertEquals(0, cli.execute(args));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("trace") && help.contains("profile"), help);
  }

  @Test
  void commandLine_usageErrorAndVersion_makeNoJsonMapper() {
    assertEquals(
        ExitCodes.USAGE, Main.commandLine(context, new String[] {"trace"}).execute("trace"));
    assertEquals(0, Main.commandLine(context, new String[] {"--version"}).execute("--version"));
    assertEquals(0, mappers.get());
  }

  @Test
  void once_makesOneValue() {
    AtomicInteger made = new AtomicInteger();
    var s = Main.once(made::incrementAndGet);
    assertEquals(1, s.get());
    assertEquals(1, s.get());
    assertEquals(1, made.get());
  }
}
