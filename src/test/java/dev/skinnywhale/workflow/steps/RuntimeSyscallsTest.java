package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuntimeSyscallsTest {
  private static final List<String> CANDIDATES = List.of("capget", "capset", "chdir");

  @Test
  void marked_theErrnoTheRuntimeNamed() {
    assertEquals(
        Optional.of("chdir"),
        RuntimeSyscalls.marked(
            "runc create failed: chdir to cwd (\"/\") set in config.json failed: errno 1002:"
                + " unknown",
            CANDIDATES));
    assertEquals(
        Optional.of("capget"),
        RuntimeSyscalls.marked(
            "unable to start container process: errno 1000: unknown", CANDIDATES));
  }

  @Test
  void marked_noMarkerOrOutOfRange_empty() {
    assertEquals(
        Optional.empty(),
        RuntimeSyscalls.marked("cannot start a stopped process: unknown", CANDIDATES));
    assertEquals(Optional.empty(), RuntimeSyscalls.marked("errno 1003: unknown", CANDIDATES));
    assertEquals(Optional.empty(), RuntimeSyscalls.marked("errno 999", CANDIDATES));
    assertEquals(Optional.empty(), RuntimeSyscalls.marked("errno 10001", CANDIDATES));
  }
}
