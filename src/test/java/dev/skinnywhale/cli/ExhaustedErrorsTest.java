package dev.skinnywhale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** An exhausted heap or stack is one line with how to raise it, exit 1, wherever it is thrown. */
class ExhaustedErrorsTest {
  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final Supplier<Throwable> error;

    @CommandLine.Option(names = "--stacktrace")
    boolean stacktrace;

    Boom(Supplier<Throwable> error) {
      this.error = error;
    }

    @Override
    public Integer call() throws Exception {
      Throwable t = error.get();
      if (t instanceof Error e) {
        throw e;
      }
      throw (Exception) t;
    }
  }

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Supplier<Throwable> error, String... args) {
    PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine cli = new CommandLine(new Boom(error));
    cli.setExecutionExceptionHandler(new ErrorHandler(ps));
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    return Main.execute(cli, args, ps);
  }

  private String lines() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void outOfMemory_thrownByTheCommand_oneLineWithTheHeapHint() {
    int code = run(() -> new OutOfMemoryError("Java heap space"));
    assertEquals(ExitCodes.INTERNAL, code);
    String text = lines();
    assertEquals(1, text.lines().count(), text);
    assertTrue(
        text.startsWith("skinnywhale: error: out of memory (Java heap space, heap limit "), text);
    assertTrue(
        text.strip().endsWith("MiB); rerun with a larger heap, e.g. JAVA_OPTS=-Xmx2g"), text);
  }

  @Test
  void outOfMemory_inAWorkerThread_foundAmongTheCauses() {
    int code =
        run(() -> new ExecutionException(new OutOfMemoryError("GC overhead limit exceeded")));
    assertEquals(ExitCodes.INTERNAL, code);
    assertTrue(lines().contains("out of memory (GC overhead limit exceeded, heap limit"), lines());
    assertEquals(1, lines().lines().count(), lines());
  }

  @Test
  void stackOverflow_realOne_oneLineWithTheStackHint() {
    int code = run(() -> new StackOverflowError(), "--stacktrace");
    assertEquals(ExitCodes.INTERNAL, code);
    assertTrue(
        lines()
            .startsWith(
                "skinnywhale: error: stack overflow; rerun with a larger stack, e.g."
                    + " JAVA_OPTS=-Xss16m\n"),
        lines());
    assertTrue(lines().contains("java.lang.StackOverflowError"), "--stacktrace prints it");
  }

  @Test
  void stackOverflow_fromDeepRecursion_caughtAtTheTop() {
    int code = run(() -> new IllegalStateException("depth " + recurse(0)));
    assertEquals(ExitCodes.INTERNAL, code);
    assertEquals(
        "skinnywhale: error: stack overflow; rerun with a larger stack, e.g. JAVA_OPTS=-Xss16m",
        lines().strip());
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }
}
