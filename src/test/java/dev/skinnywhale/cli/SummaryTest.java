package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.skinnywhale.assemble.Reason;
import org.junit.jupiter.api.Test;

/** The summary counts a file under one reason: every reason has a deliberate place. */
class SummaryTest {
  @Test
  void rank_everyReasonListed() {
    for (Reason r : Reason.values()) {
      assertNotEquals(Integer.MAX_VALUE, Summary.rank(r), r + " has no place in Summary.PRIORITY");
    }
  }
}
