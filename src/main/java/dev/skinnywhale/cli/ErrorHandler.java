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
    boolean stacktrace =
        parsed.hasMatchedOption("--stacktrace")
            || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"));
    java.util.Optional<VirtualMachineError> exhausted = exhausted(e);
    if (exhausted.isPresent()) {
      return exhausted(err, exhausted.get(), stacktrace ? e : null);
    }
    err.println("skinnywhale: error: " + ExitCodes.message(cause));
    if (stacktrace) {
      e.printStackTrace(err);
    }
    return ExitCodes.of(cause);
  }

  /** The heap or the stack ran out: this error, or one that caused it (a worker thread's). */
  static java.util.Optional<VirtualMachineError> exhausted(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
        return java.util.Optional.of((VirtualMachineError) t);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * One line for an exhausted heap or stack, with how to raise it; exit 1. Called from the
   * execution handler and from {@code Main} for what picocli lets through (errors are not
   * exceptions to it).
   *
   * @param trace printed after the line when not null (--stacktrace)
   */
  public static int exhausted(PrintStream err, VirtualMachineError e, Throwable trace) {
    try {
      err.println(
          e instanceof StackOverflowError
              ? STACK_OVERFLOW
              : OUT_OF_MEMORY
                  + " ("
                  + (e.getMessage() == null ? "" : e.getMessage() + ", ")
                  + "heap limit "
                  + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                  + " MiB); rerun with a larger heap, e.g. JAVA_OPTS=-Xmx2g");
      if (trace != null) {
        trace.printStackTrace(err);
      }
    } catch (Throwable ignored) {
      // nothing more can be said
    }
    return ExitCodes.INTERNAL;
  }

  private static final String OUT_OF_MEMORY = "skinnywhale: error: out of memory";
  private static final String STACK_OVERFLOW =
      "skinnywhale: error: stack overflow; rerun with a larger stack, e.g. JAVA_OPTS=-Xss16m";

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
