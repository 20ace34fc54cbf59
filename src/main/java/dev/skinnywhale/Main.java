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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Wires the commands to the real world and exits once. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Supplier<ObjectMapper> json = once(ObjectMapper::new);
    CliContext context =
        new CliContext(
            System.out,
            System.err,
            System.getenv(),
            Clock.systemUTC(),
            json,
            () -> DockerJavaEngine.fromEnvironment(json.get()));
    System.exit(execute(commandLine(context, args), args, System.err));
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
    return commandLine(context, new String[0]);
  }

  /**
   * The command line for {@code args}: when they start with a subcommand's name only that one is
   * built (picocli reads every option of a command by reflection, a tenth of a second for the
   * four), otherwise all of them (the top level's help lists them).
   */
  static CommandLine commandLine(CliContext context, String[] args) {
    java.nio.file.Path workDir = java.nio.file.Path.of("").toAbsolutePath();
    CommandLine cli = new CommandLine(new SkinnywhaleCommand(context, workDir));
    Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
    subcommands.put("trace", () -> new TraceCommand(context, workDir));
    subcommands.put("build", () -> new BuildCommand(context, workDir));
    subcommands.put("profile", () -> new ProfileCommand(context, workDir));
    String first = args.length > 0 ? args[0] : "";
    if (subcommands.containsKey(first)) {
      cli.addSubcommand(first, new CommandLine(subcommands.get(first).get()));
    } else {
      subcommands.values().forEach(s -> cli.addSubcommand(new CommandLine(s.get())));
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler(context.err()));
    cli.setParameterExceptionHandler(ErrorHandler.usage(context.err()));
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    cli.setOut(new java.io.PrintWriter(context.out(), true));
    cli.setErr(new java.io.PrintWriter(context.err(), true));
    addExitCodes(cli);
    return cli;
  }

  /** {@code make}'s value, made on the first call and kept. */
  static <T> Supplier<T> once(Supplier<T> make) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = make.get();
        }
        return value;
      }
    };
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
