package dev.skinnywhale.tracelog;

/**
 * How many log lines one probe run may read, over all its logs (the tracer's log, a healthcheck's
 * logs, LD_DEBUG's file per process): past {@link #limit()}, the line read is a {@link
 * TraceLogException} naming the log, the line and the limit. Not thread-safe: one per run.
 */
public final class LineBudget {
  /** A trace of a JVM start is some 30,000 lines; a whole test suite, a few hundred thousand. */
  public static final long MAX_LINES_PER_RUN = 2_000_000;

  private final long limit;
  private long used;

  public LineBudget(long limit) {
    this.limit = limit;
  }

  /** A budget of {@link #MAX_LINES_PER_RUN}. */
  public static LineBudget perRun() {
    return new LineBudget(MAX_LINES_PER_RUN);
  }

  public long limit() {
    return limit;
  }

  /** Counts one line of {@code source}; fails past the limit. */
  void spend(String source, int line, String text) {
    if (++used > limit) {
      throw new TraceLogException(
          source,
          line,
          text.length() > 200 ? text.substring(0, 200) : text,
          "more than " + limit + " log lines in one probe run, the limit");
    }
  }
}
