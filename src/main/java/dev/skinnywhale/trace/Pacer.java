package dev.skinnywhale.trace;

import java.time.Duration;

/** The passing of time, for the healthcheck's tries (injected; tests do not wait). */
public interface Pacer {
  /** A monotonic time in nanoseconds. */
  long nanos();

  void sleep(Duration duration) throws InterruptedException;

  /** The real clock. */
  Pacer SYSTEM =
      new Pacer() {
        @Override
        public long nanos() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
          }
        }
      };
}
