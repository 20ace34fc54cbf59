package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {
  static final Reporter QUIET =
      new Reporter() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };

  @Test
  void close_runsNewestFirstAndEachOnce() {
    List<String> ran = new ArrayList<>();
    Cleanup cleanup = new Cleanup(QUIET);
    cleanup.add("a", () -> ran.add("a"));
    Runnable early = cleanup.add("b", () -> ran.add("b"));
    cleanup.add("c", () -> ran.add("c"));
    early.run();
    early.run();
    cleanup.close();
    cleanup.close();
    assertEquals(List.of("b", "c", "a"), ran);
  }

  @Test
  void add_afterClose_runsAtOnce() {
    List<String> ran = new ArrayList<>();
    Cleanup cleanup = new Cleanup(QUIET);
    cleanup.close();
    cleanup.add("late container", () -> ran.add("late"));
    assertEquals(List.of("late"), ran);
  }

  @Test
  void close_failingActionDoesNotStopTheOthers() {
    List<String> ran = new ArrayList<>();
    Cleanup cleanup = new Cleanup(QUIET);
    cleanup.add("a", () -> ran.add("a"));
    cleanup.add(
        "b",
        () -> {
          throw new IllegalStateException("engine gone");
        });
    cleanup.close();
    assertEquals(List.of("a"), ran);
  }
}
