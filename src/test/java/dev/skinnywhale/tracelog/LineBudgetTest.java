package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lines one probe run reads are bounded over all its logs, and the limit is named. */
class LineBudgetTest {
  private static final String LINE = "     42:\t  trying file=/lib/libx.so\n";

  /** {@code lines} copies of {@link #LINE}, generated as they are read. */
  private static Reader repeated(long lines) {
    return new Reader() {
      long left = lines;
      int at;

      @Override
      public int read(char[] buf, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = 0;
        while (n < len && left > 0) {
          buf[off + n++] = LINE.charAt(at++);
          if (at == LINE.length()) {
            at = 0;
            left--;
          }
        }
        return n;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void parse_moreLinesThanARunMayHave_errorNamingTheLogAndTheLimit() {
    TraceLogException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    TraceLogException.class,
                    () ->
                        new LdDebugLogParser()
                            .parse("ld.42", repeated(LineBudget.MAX_LINES_PER_RUN + 5))));
    assertEquals("ld.42", e.source());
    assertEquals(LineBudget.MAX_LINES_PER_RUN + 1, e.line());
    assertEquals(
        "ld.42:2000001: more than 2000000 log lines in one probe run, the limit:"
            + "      42:\t  trying file=/lib/libx.so",
        e.getMessage());
  }

  @Test
  void parse_budgetSharedByTheLogsOfOneRun() throws IOException {
    LineBudget budget = new LineBudget(10);
    LdDebugLogParser parser = new LdDebugLogParser();
    parser.parse("ld.1", repeated(6), budget);
    TraceLogException e =
        assertThrows(TraceLogException.class, () -> parser.parse("ld.2", repeated(6), budget));
    assertEquals("ld.2", e.source());
    assertEquals(5, e.line());
  }

  @Test
  void parse_withinTheBudget_read() throws IOException {
    AccessSet s = new StraceLogParser().parse("trace.log", new StringReader(""), new LineBudget(1));
    assertEquals(0, s.byPath().size());
  }
}
