package dev.skinnywhale.cli;

import dev.skinnywhale.workflow.run.Reporter;
import java.io.PrintStream;

/** Progress and warnings on stderr; debug lines only when asked for. */
public final class ConsoleReporter implements Reporter {
  private final PrintStream err;
  private final boolean debug;
  private final boolean quiet;

  public ConsoleReporter(PrintStream err, boolean debug, boolean quiet) {
    this.err = err;
    this.debug = debug;
    this.quiet = quiet;
  }

  @Override
  public void step(String message) {
    if (!quiet) {
      err.println("==> " + message);
    }
  }

  @Override
  public void info(String message) {
    err.println(message);
  }

  @Override
  public void warn(String message) {
    err.println("WARNING: " + message);
  }

  @Override
  public void debug(String message) {
    if (debug) {
      err.println("debug: " + message);
    }
  }
}
