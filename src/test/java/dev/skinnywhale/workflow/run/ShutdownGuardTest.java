package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.workflow.FakeEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the signal hook does, run on a thread of its own against a pipeline on another (no JVM
 * shutdown involved): cancel, wait for the safe point, remove, one final line.
 */
class ShutdownGuardTest {
  final RecordingReporter reporter = new RecordingReporter();
  final FakeEngine fake = new FakeEngine();
  final Cancellation token = new Cancellation();
  final Cleanup cleanup = new Cleanup(reporter);
  final CancellableEngine engine = new CancellableEngine(fake, token, cleanup);
  final StepRunner steps = new StepRunner(Clock.systemUTC(), reporter, token);

  /**
   * A pipeline of steps each making a probe container, as ProbeRunner does (create, register,
   * wait); returns when cancelled, after leaving through the run's safe point.
   */
  private Thread pipeline(ShutdownGuard guard, CountDownLatch done) {
    return new Thread(
        () -> {
          try {
            for (int i = 0; ; i++) {
              steps.run(
                  "probe",
                  "probing `cmd " + i + "`",
                  () -> {
                    String id = engine.createContainer(CancellableEngineTest.spec());
                    Runnable remove =
                        cleanup.add("probe container " + id, () -> fake.removeContainer(id));
                    try {
                      return engine.waitFor(id, Duration.ofSeconds(1));
                    } finally {
                      remove.run();
                    }
                  });
            }
          } catch (CancelledException e) {
            // leaves the pipeline
          } finally {
            cleanup.close();
            guard.left();
            done.countDown();
          }
        });
  }

  @Test
  void onSignal_duringAnInFlightCreate_waitsForTheSafePoint_removesIt_andSaysSoLast()
      throws Exception {
    ShutdownGuard guard = new ShutdownGuard(cleanup, token, reporter, Duration.ofSeconds(20));
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.inFlight.put(
        "create",
        () -> {
          if (fake.created.size() == 3) { // the fourth create is the one the signal lands in
            inFlight.countDown();
            await(release);
          }
        });
    CountDownLatch done = new CountDownLatch(1);
    Thread main = pipeline(guard, done);
    main.start();
    assertTrue(inFlight.await(10, TimeUnit.SECONDS));
    Thread hook = new Thread(guard::onSignal);
    hook.start();
    while (!token.cancelled()) {
      Thread.sleep(5);
    }
    Thread.sleep(200); // the create is still in flight: the hook must not have removed anything
    assertTrue(hook.isAlive(), "the hook did not wait for the run to reach its safe point");
    release.countDown();
    hook.join(10_000);
    assertFalse(hook.isAlive());
    assertTrue(done.await(1, TimeUnit.SECONDS));

    assertEquals(4, fake.created.size());
    assertEquals(
        List.copyOf(fake.created.keySet()),
        fake.removed.stream().sorted().toList(),
        "a container was left behind");
    int interrupted =
        reporter.all.indexOf(
            "warn: interrupted: removing the temporary containers, images and files");
    assertTrue(interrupted >= 0, reporter.all.toString());
    assertTrue(
        reporter.all.subList(interrupted, reporter.all.size()).stream()
            .noneMatch(l -> l.startsWith("step: ")),
        "a step started after the interruption: " + reporter.all);
    assertEquals("info: " + ShutdownGuard.FINAL_LINE, reporter.all.get(reporter.all.size() - 1));
    assertEquals(
        1, reporter.all.stream().filter(l -> l.contains(ShutdownGuard.FINAL_LINE)).count());
  }

  @Test
  void onSignal_whenTheRunNeverReachesASafePoint_removesEverythingAfterTheBoundedWait()
      throws Exception {
    ShutdownGuard guard = new ShutdownGuard(cleanup, token, reporter, Duration.ofMillis(300));
    String id = engine.createContainer(CancellableEngineTest.spec());
    cleanup.add("probe container " + id, () -> fake.removeContainer(id));
    long start = System.nanoTime();
    guard.onSignal(); // nobody calls left(): the main thread is stuck outside the engine
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis >= 250 && millis < 5_000, "waited " + millis + " ms");
    assertEquals(List.of(id), fake.removed);
    assertEquals("info: " + ShutdownGuard.FINAL_LINE, reporter.all.get(reporter.all.size() - 1));
  }

  @Test
  void onSignal_afterTheRunEnded_onlySaysSo() {
    ShutdownGuard guard = new ShutdownGuard(cleanup, token, reporter, Duration.ofSeconds(20));
    cleanup.close();
    guard.left();
    guard.onSignal();
    assertEquals(List.of("info: " + ShutdownGuard.FINAL_LINE), reporter.all);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
