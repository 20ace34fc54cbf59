package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutputExcerptTest {
  @Test
  void append_shortOutput_keptWhole() {
    OutputExcerpt o = new OutputExcerpt();
    o.append("one\n");
    o.append("two\n");
    assertEquals("one\ntwo\n", o.toString());
  }

  @Test
  void append_200MbWithoutNewlines_headAndTailOnly() {
    OutputExcerpt o = new OutputExcerpt();
    String chunk = "x".repeat(16 * 1024);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          o.append("START");
          for (int i = 0; i < 200 * 64; i++) {
            o.append(chunk);
          }
          o.append("END");
        });
    String s = o.toString();
    long total = 5 + 200L * 64 * chunk.length() + 3;
    long dropped = total - OutputExcerpt.HEAD - OutputExcerpt.TAIL;
    assertTrue(s.startsWith("START"), s.substring(0, 10));
    assertTrue(s.endsWith("xxEND"));
    assertTrue(s.contains("\n[... " + dropped + " characters left out ...]\n"));
    assertTrue(s.length() < OutputExcerpt.HEAD + OutputExcerpt.TAIL + 64, "" + s.length());
  }

  @Test
  void append_smallPiecesPastTheBudget_tailIsTheLastCharacters() {
    OutputExcerpt o = new OutputExcerpt();
    for (int i = 0; i < 10_000; i++) {
      o.append(String.format("%05d\n", i));
    }
    String s = o.toString();
    assertTrue(s.endsWith("09999\n"));
    String tail = s.substring(s.indexOf("left out ...]\n") + "left out ...]\n".length());
    assertEquals(OutputExcerpt.TAIL, tail.length());
    assertTrue(s.startsWith("00000\n00001\n"));
    assertTrue(
        s.contains("[... " + (60_000 - OutputExcerpt.HEAD - OutputExcerpt.TAIL) + " characters"));
  }
}
