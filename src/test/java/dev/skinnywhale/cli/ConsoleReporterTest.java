package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void warn_tenThousandOfAKind_firstTwentyThenOneCountLine() {
    ConsoleReporter r = new ConsoleReporter(err, false, false);
    for (int i = 0; i < 10_000; i++) {
      r.warn("library not found", "lib" + i + ".so (needed by /app) not found");
    }
    r.warn("a one-off warning");
    r.warn("file skipped", "skipped /x: broken");
    r.finish();
    List<String> lines = lines();
    assertEquals(ConsoleReporter.MAX_PER_KIND + 3, lines.size());
    assertEquals("WARNING: lib0.so (needed by /app) not found", lines.get(0));
    assertEquals("WARNING: lib19.so (needed by /app) not found", lines.get(19));
    assertEquals("WARNING: a one-off warning", lines.get(20));
    assertEquals("WARNING: skipped /x: broken", lines.get(21));
    assertEquals("WARNING: ... and 9980 more like this (library not found)", lines.get(22));
  }

  @Test
  void warn_withDebug_theRestAreDebugLines() {
    ConsoleReporter r = new ConsoleReporter(err, true, false);
    for (int i = 0; i < 21; i++) {
      r.warn("not in the image", "/f" + i);
    }
    r.finish();
    List<String> lines = lines();
    assertEquals("debug: /f20", lines.get(20));
    assertEquals("WARNING: ... and 1 more like this (not in the image)", lines.get(21));
  }

  @Test
  void finish_nothingLeftOut_saysNothing() {
    ConsoleReporter r = new ConsoleReporter(err, false, false);
    for (int i = 0; i < ConsoleReporter.MAX_PER_KIND; i++) {
      r.warn("k", "w" + i);
    }
    r.finish();
    assertEquals(ConsoleReporter.MAX_PER_KIND, lines().size());
  }
}
