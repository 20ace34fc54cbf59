package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What of a probe's output an error message quotes. */
class ProbeMessageTest {
  @Test
  void lastLine_hugeLine_onlyItsEnd() {
    String line = "a".repeat(3_000_000) + "the end";
    String quoted = Probe.lastLine("first\n" + line + "\n");
    assertEquals(Probe.MAX_QUOTED + 3, quoted.length());
    assertEquals("...", quoted.substring(0, 3));
    assertEquals(true, quoted.endsWith("aaathe end"));
  }

  @Test
  void lastLine_shortOutput_asIs() {
    assertEquals("error: x", Probe.lastLine("starting\nerror: x\n\n"));
    assertEquals("(no output)", Probe.lastLine("  \n"));
  }
}
