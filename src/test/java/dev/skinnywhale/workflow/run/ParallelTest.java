package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tasks side by side with what a sequential loop gives: order, first failure, early end. */
class ParallelTest {
  final List<Integer> starts = Collections.synchronizedList(new ArrayList<>());

  @Test
  void map_laterTaskEndsFirst_resultsInTaskOrder() throws Exception {
    CountDownLatch secondDone = new CountDownLatch(1);
    List<Parallel.Task<String>> tasks =
        List.of(
            () -> {
              await(secondDone);
              return "zero";
            },
            () -> {
              secondDone.countDown();
              return "one";
            },
            () -> "two");
    assertEquals(List.of("zero", "one", "two"), new Parallel(2).map(tasks, starts::add));
    assertEquals(List.of(0, 1, 2), starts);
  }

  @Test
  void map_twoRunAtOnce_neverMoreThanTheLimit() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch bothIn = new CountDownLatch(2);
    List<Parallel.Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      tasks.add(
          () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            bothIn.countDown();
            await(bothIn);
            nap(5);
            running.decrementAndGet();
            return n;
          });
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5), new Parallel(2).map(tasks, starts::add));
    assertEquals(2, most.get(), "the first two did not overlap, or more than two ran");
  }

  @Test
  void map_laterFailsFirst_theFirstFailureInOrderIsThrown() {
    CountDownLatch secondFailed = new CountDownLatch(1);
    List<Parallel.Task<String>> tasks =
        List.of(
            () -> {
              await(secondFailed);
              throw new IOException("zero failed");
            },
            () -> {
              secondFailed.countDown();
              throw new IOException("one failed");
            });
    IOException e = assertThrows(IOException.class, () -> new Parallel(2).map(tasks, starts::add));
    assertEquals("zero failed", e.getMessage());
  }

  @Test
  void map_onlyALaterTaskFails_itsFailureAfterTheEarlierOneEnded() {
    AtomicBoolean firstEnded = new AtomicBoolean();
    CountDownLatch secondFailed = new CountDownLatch(1);
    List<Parallel.Task<String>> tasks =
        List.of(
            () -> {
              await(secondFailed);
              firstEnded.set(true);
              return "zero";
            },
            () -> {
              secondFailed.countDown();
              throw new IllegalStateException("one failed");
            });
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new Parallel(2).map(tasks, starts::add));
    assertEquals("one failed", e.getMessage());
    assertTrue(firstEnded.get(), "thrown while an earlier task was still running");
  }

  @Test
  void map_afterAFailure_noFurtherTaskStarts() {
    List<Parallel.Task<String>> tasks = new ArrayList<>();
    tasks.add(
        () -> {
          throw new IOException("zero failed");
        });
    for (int i = 1; i < 6; i++) {
      tasks.add(
          () -> {
            nap(300);
            return "later";
          });
    }
    assertThrows(IOException.class, () -> new Parallel(2).map(tasks, starts::add));
    // task 1 may start before the failure is seen (two run at once), nothing after it
    assertTrue(
        starts.equals(List.of(0)) || starts.equals(List.of(0, 1)),
        "started after the failure: " + starts);
  }

  @Test
  void map_startingThrows_returnsOnlyAfterTheStartedTasksEnded() {
    java.util.concurrent.atomic.AtomicBoolean zeroEnded =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<Parallel.Task<String>> tasks = new ArrayList<>();
    tasks.add(
        () -> {
          nap(300);
          zeroEnded.set(true);
          return "zero";
        });
    tasks.add(() -> "one");
    RuntimeException cancelled = new IllegalStateException("cancelled");
    RuntimeException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                new Parallel(2)
                    .map(
                        tasks,
                        i -> {
                          if (i == 1) {
                            throw cancelled;
                          }
                        }));
    assertEquals(cancelled, thrown);
    assertTrue(zeroEnded.get(), "returned while task 0 was still running");
  }

  @Test
  void map_lastResult_endsTheListAsABreakWould() throws Exception {
    List<Parallel.Task<Integer>> tasks = List.of(() -> 1, () -> -2, () -> 3, () -> 4);
    for (int limit : new int[] {1, 2, 4}) {
      starts.clear();
      List<Integer> out = new Parallel(limit).map(tasks, starts::add, r -> r < 0);
      assertEquals(List.of(1, -2), out, "limit " + limit);
      assertTrue(starts.size() >= 2 && starts.subList(0, 2).equals(List.of(0, 1)), "" + starts);
    }
    starts.clear();
    new Parallel(1).map(tasks, starts::add, r -> r < 0);
    assertEquals(List.of(0, 1), starts, "one at a time runs nothing after the last");
  }

  @Test
  void both_backgroundFails_foregroundUndoneAndTheFailureThrown() {
    List<String> undone = new ArrayList<>();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Parallel.both(
                    () -> {
                      throw new IOException("commit failed");
                    },
                    () -> "fs",
                    undone::add));
    assertEquals("commit failed", e.getMessage());
    assertEquals(List.of("fs"), undone);
  }

  @Test
  void both_foregroundFails_thrownOnlyAfterTheBackgroundEnded() {
    AtomicBoolean backgroundEnded = new AtomicBoolean();
    List<String> undone = new ArrayList<>();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Parallel.<String, String>both(
                    () -> {
                      nap(100);
                      backgroundEnded.set(true);
                      return "image";
                    },
                    () -> {
                      throw new IOException("export failed");
                    },
                    undone::add));
    assertEquals("export failed", e.getMessage());
    assertTrue(backgroundEnded.get());
    assertEquals(List.of(), undone);
  }

  @Test
  void both_bothSucceed_bothResults() throws Exception {
    CountDownLatch foregroundRunning = new CountDownLatch(1);
    var pair =
        Parallel.both(
            () -> {
              await(foregroundRunning); // they overlap: the background waits for the foreground
              return "image";
            },
            () -> {
              foregroundRunning.countDown();
              return "fs";
            },
            x -> {});
    assertEquals(new Parallel.Pair<>("image", "fs"), pair);
  }

  private static void nap(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IOException("the tasks did not run side by side");
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }
}
