package dev.skinnywhale;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.cli.BuildCommand;
import dev.skinnywhale.cli.CliContext;
import dev.skinnywhale.cli.ErrorHandler;
import dev.skinnywhale.cli.ExitCodes;
import dev.skinnywhale.cli.ProfileCommand;
import dev.skinnywhale.cli.SkinnywhaleCommand;
import dev.skinnywhale.cli.TraceCommand;
import dev.skinnywhale.docker.DockerJavaEngine;
import java.time.Clock;
import picocli.CommandLine;

/** Wires the commands to the real world and exits once. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ObjectMapper json = new ObjectMapper();
    CliContext context =
        new CliContext(
            System.out,
            System.err,
            System.getenv(),
            Clock.systemUTC(),
            json,
            () -> DockerJavaEngine.fromEnvironment(json));
    System.exit(execute(commandLine(context), args, System.err));
  }

  /**
   * Runs the command line. picocli hands errors on, so an exhausted heap or stack that reached this
   * far is reported here: one line with how to raise it, exit 1.
   */
  public static int execute(CommandLine cli, String[] args, java.io.PrintStream err) {
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      return ErrorHandler.exhausted(
          err, e, java.util.Arrays.asList(args).contains("--stacktrace") ? e : null);
    }
  }

  /** The configured command line; tests call this with their own context. */
  public static CommandLine commandLine(CliContext context) {
    java.nio.file.Path workDir = java.nio.file.Path.of("").toAbsolutePath();
    CommandLine cli = new CommandLine(new SkinnywhaleCommand(context, workDir));
    cli.addSubcommand(new CommandLine(new TraceCommand(context, workDir)));
    cli.addSubcommand(new CommandLine(new BuildCommand(context, workDir)));
    cli.addSubcommand(new CommandLine(new ProfileCommand(context, workDir)));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler(context.err()));
    cli.setParameterExceptionHandler(ErrorHandler.usage(context.err()));
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    cli.setOut(new java.io.PrintWriter(context.out(), true));
    cli.setErr(new java.io.PrintWriter(context.err(), true));
    addExitCodes(cli);
    return cli;
  }

  private static void addExitCodes(CommandLine cli) {
    java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      codes.put(String.format("%4s", line.substring(0, colon)), line.substring(colon + 1));
    }
    cli.getCommandSpec().usageMessage().exitCodeList(codes);
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec()
          .usageMessage()
          .exitCodeListHeading("%nExit codes:%n")
          .exitCodeList(codes);
    }
  }
}
