package dev.skinnywhale.workflow.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM (a JVM shutdown hook) into a state of the run: the hook sets the run's
 * {@link Cancellation} token, waits (at most {@link #SAFE_POINT_WAIT}) for the run to leave its
 * pipeline — its next engine call or step throws {@link CancelledException}, and an object whose
 * create or commit was in flight is registered on the way out — then removes everything registered
 * and says so in one final line. The JVM exits with the signal's status (130, 143) when the hook
 * ends. Closing the guard unregisters the hook.
 */
public final class ShutdownGuard implements AutoCloseable {
  /** How long the hook waits for the run to reach a safe point before it removes things anyway. */
  public static final Duration SAFE_POINT_WAIT = Duration.ofSeconds(10);

  /** The last line of an interrupted run. */
  public static final String FINAL_LINE =
      "skinnywhale: interrupted; the temporary containers, images and files were removed";

  private final Cleanup cleanup;
  private final Cancellation token;
  private final Reporter reporter;
  private final Duration wait;
  private final CountDownLatch left = new CountDownLatch(1);
  private Thread hook;

  ShutdownGuard(Cleanup cleanup, Cancellation token, Reporter reporter, Duration wait) {
    this.cleanup = cleanup;
    this.token = token;
    this.reporter = reporter;
    this.wait = wait;
  }

  /** A guard of this run, its hook installed. */
  public static ShutdownGuard install(Cleanup cleanup, Cancellation token, Reporter reporter) {
    ShutdownGuard guard = new ShutdownGuard(cleanup, token, reporter, SAFE_POINT_WAIT);
    guard.hook = new Thread(guard::onSignal, "skinnywhale-cleanup");
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  /**
   * What the hook does: cancel, wait for the safe point (bounded), remove everything, say so. A
   * hook that finds the run already over (it left its pipeline and cleaned up) only says so.
   */
  void onSignal() {
    token.cancel(
        () -> {
          if (left.getCount() > 0) {
            reporter.warn("interrupted: removing the temporary containers, images and files");
          }
        });
    try {
      if (!left.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        reporter.debug("the run did not stop within " + wait.toSeconds() + " s: removing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cleanup.close();
    reporter.info(FINAL_LINE);
  }

  /** The run has left its pipeline and removed what it made: the hook need not wait any longer. */
  void left() {
    left.countDown();
  }

  /** Whether the JVM is shutting down (Ctrl-C or SIGTERM): errors then are the interruption's. */
  public static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  @Override
  public void close() {
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running the cleanup.
    }
  }
}
