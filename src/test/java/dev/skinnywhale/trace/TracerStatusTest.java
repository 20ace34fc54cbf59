package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.trace.TracerStatus.Exited;
import dev.skinnywhale.trace.TracerStatus.Failed;
import dev.skinnywhale.trace.TracerStatus.Malformed;
import dev.skinnywhale.trace.TracerStatus.Missing;
import dev.skinnywhale.trace.TracerStatus.Mode;
import dev.skinnywhale.trace.TracerStatus.Signaled;
import dev.skinnywhale.trace.TracerStatus.Stage;
import dev.skinnywhale.trace.TracerStatus.TimedOut;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form of tracer/README.md's status table, and what is none of them. */
class TracerStatusTest {
  @Test
  void testParse_exit() {
    assertEquals(new Exited(0, 0, Mode.SECCOMP), TracerStatus.parse("ok exit=0\n"));
    assertEquals(new Exited(2, 0, Mode.SECCOMP), TracerStatus.parse("ok exit=2"));
    assertEquals(new Exited(255, 0, Mode.SECCOMP), TracerStatus.parse("ok exit=255\n"));
  }

  @Test
  void testParse_exitKilledAndMode() {
    assertEquals(new Exited(0, 1, Mode.SECCOMP), TracerStatus.parse("ok exit=0 killed=1\n"));
    assertEquals(new Exited(3, 0, Mode.SYSCALL), TracerStatus.parse("ok exit=3 mode=syscall\n"));
    assertEquals(
        new Exited(0, 12, Mode.SYSCALL), TracerStatus.parse("ok exit=0 killed=12 mode=syscall"));
  }

  @Test
  void testParse_signal() {
    assertEquals(new Signaled(9, 0, Mode.SECCOMP), TracerStatus.parse("ok signal=9\n"));
    assertEquals(
        new Signaled(15, 2, Mode.SYSCALL),
        TracerStatus.parse("ok signal=15 killed=2 mode=syscall\n"));
  }

  @Test
  void testParse_ptraceDenied() {
    TracerStatus exited = TracerStatus.parse("ok exit=1 ptrace-denied=2 mode=syscall\n");
    assertEquals(new Exited(1, 0, Mode.SYSCALL, 2), exited);
    assertEquals(2, exited.ptraceDenied());
    assertEquals(
        new Signaled(6, 1, Mode.SECCOMP, 3),
        TracerStatus.parse("ok signal=6 killed=1 ptrace-denied=3\n"));
    assertEquals(0, TracerStatus.parse("ok exit=0\n").ptraceDenied());
    assertEquals(0, TracerStatus.parse("timeout\n").ptraceDenied());
  }

  @Test
  void testParse_timeout() {
    assertEquals(new TimedOut(Mode.SECCOMP), TracerStatus.parse("timeout\n"));
    assertEquals(new TimedOut(Mode.SYSCALL), TracerStatus.parse("timeout mode=syscall\n"));
  }

  /** Words the README does not list yet are passed over, as it asks of a reader. */
  @Test
  void testParse_unknownWordsIgnored() {
    assertEquals(
        new Exited(0, 1, Mode.SECCOMP), TracerStatus.parse("ok exit=0 killed=1 future=yes\n"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "error usage: bad --timeout x|USAGE||bad --timeout x",
        "error usage: -o LOG is required|USAGE||-o LOG is required",
        "error exec nosuch: not found in PATH|EXEC|nosuch|not found in PATH",
        "error exec /app/run: Permission denied|EXEC|/app/run|Permission denied",
        "error exec /a: b/run: No such file or directory|EXEC|/a: b/run|No such file or directory",
        "error log /p/trace.log: No space left on device|LOG|/p/trace.log|No space left on device",
        "error ptrace: Operation not permitted|PTRACE||Operation not permitted",
        "error pipe: Too many open files|PIPE||Too many open files",
        "error fork: Resource temporarily unavailable|FORK||Resource temporarily unavailable",
        "error interrupted by signal 15|INTERRUPTED||interrupted by signal 15",
        "error out of memory|OTHER||out of memory",
        "error tracee vanished before exec|OTHER||tracee vanished before exec",
        "error lost the program's exit status|OTHER||lost the program's exit status",
        "error executable: x|OTHER||executable: x",
      })
  void testParse_error(String line, Stage stage, String subject, String message) {
    Failed f = assertInstanceOf(Failed.class, TracerStatus.parse(line + "\n"));
    assertEquals(stage, f.stage());
    assertEquals(Optional.ofNullable(subject), f.subject());
    assertEquals(message, f.message());
    assertEquals(line.substring("error ".length()), f.text());
  }

  @Test
  void testFailed_programNotFound_pathSearchOrExecEnoent() {
    assertTrue(failed("error exec nosuch: not found in PATH").programNotFound());
    assertTrue(failed("error exec /x: No such file or directory").programNotFound());
    assertFalse(failed("error exec /x: Permission denied").programNotFound());
    assertFalse(failed("error usage: not found in PATH").programNotFound());
  }

  @Test
  void testPtraceRefused_onlyForThePtraceStage() {
    assertTrue(TracerStatus.parse("error ptrace: Operation not permitted").ptraceRefused());
    assertFalse(TracerStatus.parse("error exec /x: failed: ptrace").ptraceRefused());
    assertFalse(TracerStatus.parse("ok exit=0").ptraceRefused());
    assertFalse(TracerStatus.parse("").ptraceRefused());
  }

  @Test
  void testFailed_interruptingSignal() {
    assertEquals(OptionalInt.of(15), failed("error interrupted by signal 15").signal());
    assertEquals(OptionalInt.empty(), failed("error interrupted by signal x").signal());
    assertEquals(OptionalInt.empty(), failed("error fork: x").signal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "  \n\n", "\t"})
  void testParse_empty(String content) {
    assertEquals(new Missing(), TracerStatus.parse(content));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ok",
        "ok exit=",
        "ok exit=256",
        "ok exit=-1",
        "ok exit=x",
        "ok exit=99999999999999",
        "ok signal=0",
        "ok done=1",
        "ok exit=0 killed=x",
        "ok exit=0 ptrace-denied=-1",
        "ok exit=0 mode=turbo",
        "timeout mode=turbo",
        "timeouts",
        "error",
        "okexit=0",
        "exit=0",
        "ok exit=0\nok exit=1",
        "garbage \u0000 bytes",
      })
  void testParse_malformed(String content) {
    TracerStatus s = TracerStatus.parse(content);
    Malformed m = assertInstanceOf(Malformed.class, s, () -> content + " -> " + s);
    assertEquals(content.strip(), m.text());
  }

  private static Failed failed(String line) {
    return assertInstanceOf(Failed.class, TracerStatus.parse(line));
  }
}
