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
      err.println("skinnywhale: " + pe.getMessage());
      err.println("Try 'skinnywhale --help' for more information.");
      return ExitCodes.USAGE;
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
    return (ex, args) -> {
      err.println("skinnywhale: " + ex.getMessage());
      err.println("Try 'skinnywhale --help' for more information.");
      return ExitCodes.USAGE;
    };
  }
}
