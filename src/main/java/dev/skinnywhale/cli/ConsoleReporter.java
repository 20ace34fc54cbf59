package dev.skinnywhale.cli;

import dev.skinnywhale.workflow.run.Reporter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress and warnings on stderr; debug lines only when asked for. Of the warnings of one kind,
 * the first {@value #MAX_PER_KIND} are shown and {@link #finish()} says how many more there were.
 */
public final class ConsoleReporter implements Reporter {
  static final int MAX_PER_KIND = 20;

  private final PrintStream err;
  private final boolean debug;
  private final boolean quiet;
  private final Map<String, Integer> counts = new LinkedHashMap<>();

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
  public synchronized void warn(String kind, String message) {
    int n = counts.merge(kind, 1, Integer::sum);
    if (n <= MAX_PER_KIND) {
      warn(message);
    } else if (debug) {
      debug(message);
    }
  }

  @Override
  public synchronized void finish() {
    counts.forEach(
        (kind, n) -> {
          if (n > MAX_PER_KIND) {
            warn("... and " + (n - MAX_PER_KIND) + " more like this (" + kind + ")");
          }
        });
    counts.clear();
  }

  @Override
  public void debug(String message) {
    if (debug) {
      err.println("debug: " + message);
    }
  }
}
