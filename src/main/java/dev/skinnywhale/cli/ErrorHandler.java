package dev.skinnywhale.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParseResult;

/** One line per error on stderr; the stack trace only with --stacktrace. */
public final class ErrorHandler implements IExecutionExceptionHandler {
  private final PrintStream err;

  public ErrorHandler(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    Throwable cause = e;
    if (e instanceof picocli.CommandLine.ParameterException pe) {
      return usage(err, pe);
    }
    if (dev.skinnywhale.workflow.run.ShutdownGuard.shuttingDown()) {
      // SIGINT or SIGTERM: the run's signal hook removes what it made and prints the last line;
      // the JVM exits with the signal's status (130, 143) once the hook is done.
      return ExitCodes.INTERRUPTED;
    }
    err.println("skinnywhale: error: " + ExitCodes.message(cause));
    if (parsed.hasMatchedOption("--stacktrace")
        || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"))) {
      e.printStackTrace(err);
    }
    return ExitCodes.of(cause);
  }

  /** Bad usage: the message and a hint, exit code 2. */
  public static IParameterExceptionHandler usage(PrintStream err) {
    return (ex, args) -> usage(err, ex);
  }

  private static int usage(PrintStream err, picocli.CommandLine.ParameterException ex) {
    err.println("skinnywhale: " + ExitCodes.message(ex));
    err.println(
        "Try '"
            + ex.getCommandLine().getCommandSpec().qualifiedName()
            + " --help' for more information.");
    return ExitCodes.USAGE;
  }
}
