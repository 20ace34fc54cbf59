package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {
  private static List<String> lines(Reader in, int max) throws IOException {
    LogLines lines = new LogLines("log", in, max);
    List<String> out = new ArrayList<>();
    for (String l = lines.next(); l != null; l = lines.next()) {
      out.add(lines.number() + ":" + l);
    }
    assertNull(lines.next());
    return out;
  }

  @Test
  void testNext_splitsAsBufferedReader() throws IOException {
    assertEquals(
        List.of("1:a", "2:b", "3:", "4:c", "5:d"), lines(new StringReader("a\nb\r\n\rc\rd"), 100));
    assertEquals(List.of(), lines(new StringReader(""), 100));
    assertEquals(List.of("1:"), lines(new StringReader("\n"), 100));
    assertEquals(List.of("1:x"), lines(new StringReader("x\r\n"), 100));
  }

  /** A reader that hands out one char at a time: every line ending crosses a buffer boundary. */
  @Test
  void testNext_lineEndingsAcrossReads() throws IOException {
    String text = "one\r\ntwo\r\n\r\nthree\n" + "x".repeat(20_000) + "\r\nlast";
    Reader trickle =
        new Reader() {
          private int i;

          @Override
          public int read(char[] buf, int off, int len) {
            if (i == text.length()) {
              return -1;
            }
            buf[off] = text.charAt(i++);
            return 1;
          }

          @Override
          public void close() {}
        };
    assertEquals(
        List.of("1:one", "2:two", "3:", "4:three", "5:" + "x".repeat(20_000), "6:last"),
        lines(trickle, 1 << 20));
  }

  @Test
  void testNext_lineAtTheLimitIsRead() throws IOException {
    assertEquals(
        List.of("1:" + "y".repeat(10_000)), lines(new StringReader("y".repeat(10_000)), 10_000));
  }

  @Test
  void testNext_longerLineNamesFileLineAndLimit() {
    String text = "ok\n" + "z".repeat(50_000) + "\nafter\n";
    TraceLogException e =
        assertThrows(TraceLogException.class, () -> lines(new StringReader(text), 10_000));
    assertEquals("log", e.source());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("longer than 10000 characters"), e.getMessage());
    assertTrue(e.text().length() <= 10_000 + 512, "the text kept is bounded");
  }

  @Test
  void testParsers_longLineRejectedNotBuffered() {
    String huge = "123   " + "q".repeat(LogLines.MAX_LINE_CHARS + 10) + "\n";
    TraceLogException strace =
        assertThrows(
            TraceLogException.class,
            () -> new StraceLogParser().parse("trace.log", new StringReader(huge)));
    assertTrue(
        strace.getMessage().startsWith("trace.log:1: line longer than"), strace.getMessage());
    TraceLogException ld =
        assertThrows(
            TraceLogException.class,
            () -> new LdDebugLogParser().parse("ld.7", new StringReader(huge)));
    assertTrue(ld.getMessage().startsWith("ld.7:1: line longer than"), ld.getMessage());
  }
}
