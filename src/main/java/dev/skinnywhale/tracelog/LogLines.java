package dev.skinnywhale.tracelog;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a log read from a stream, one at a time, as {@link java.io.BufferedReader#readLine}
 * splits them ("\n", "\r\n" or "\r"), each at most {@link #MAX_LINE_CHARS} long: a longer one is a
 * {@link TraceLogException} naming the file, the line and the limit, so a log that is one huge line
 * costs no more memory than the limit. Every line is counted against the run's {@link LineBudget}.
 */
final class LogLines {
  /** No line of our tracer, strace or LD_DEBUG comes near this (paths are at most 4 KiB). */
  static final int MAX_LINE_CHARS = 1 << 20;

  private final String source;
  private final Reader in;
  private final int maxChars;
  private final LineBudget budget;
  private final char[] buf = new char[8192];
  private int pos;
  private int end;
  private int number;
  private boolean skipLf;

  LogLines(String source, Reader in) {
    this(source, in, MAX_LINE_CHARS, LineBudget.perRun());
  }

  LogLines(String source, Reader in, LineBudget budget) {
    this(source, in, MAX_LINE_CHARS, budget);
  }

  LogLines(String source, Reader in, int maxChars) {
    this(source, in, maxChars, LineBudget.perRun());
  }

  LogLines(String source, Reader in, int maxChars, LineBudget budget) {
    this.source = source;
    this.in = in;
    this.maxChars = maxChars;
    this.budget = budget;
  }

  /** The 1-based number of the line {@link #next()} returned last. */
  int number() {
    return number;
  }

  /** The next line without its terminator, or null at the end of the log. */
  String next() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (pos == end && !fill()) {
        if (line == null) {
          return null;
        }
        return counted(line.toString());
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
        pos++;
      }
      if (line == null) {
        line = new StringBuilder(Math.min(256, pos - start + 16));
      }
      if (line.length() + (pos - start) > maxChars) {
        line.append(buf, start, Math.min(pos - start, 512));
        throw new TraceLogException(
            source, number + 1, line.toString(), "line longer than " + maxChars + " characters");
      }
      line.append(buf, start, pos - start);
      if (pos < end) {
        skipLf = buf[pos] == '\r';
        pos++;
        return counted(line.toString());
      }
    }
  }

  private String counted(String line) {
    number++;
    budget.spend(source, number, line);
    return line;
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      pos = end = 0;
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }
}
