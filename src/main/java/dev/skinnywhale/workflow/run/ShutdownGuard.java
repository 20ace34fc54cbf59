package dev.skinnywhale.workflow.run;

/**
 * Runs a {@link Cleanup} from a JVM shutdown hook while a run is in progress, so Ctrl-C (SIGINT,
 * SIGTERM) still removes every temporary container, image and file. Closing it unregisters the
 * hook.
 */
public final class ShutdownGuard implements AutoCloseable {
  private final Thread hook;

  private ShutdownGuard(Thread hook) {
    this.hook = hook;
  }

  public static ShutdownGuard install(Cleanup cleanup) {
    Thread hook = new Thread(cleanup::interrupted, "skinnywhale-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    return new ShutdownGuard(hook);
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
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running the cleanup.
    }
  }
}
