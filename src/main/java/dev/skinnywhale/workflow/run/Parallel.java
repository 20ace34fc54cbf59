package dev.skinnywhale.workflow.run;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Runs independent tasks of one run side by side on at most {@code limit} threads, with what a
 * sequential loop over them gives: tasks start in their order, the results come in their order, and
 * when tasks fail the exception is the one of the first failing task in that order — once a task
 * has failed no later task starts, and every task started before it has ended, so nothing it
 * registered for cleanup is still being made. What a task says goes through its result, not the
 * reporter, so the output stays in order.
 */
public final class Parallel {
  /** A task's body. */
  @FunctionalInterface
  public interface Task<T> {
    T run() throws IOException;
  }

  /** One worker per core, at least two (the tasks mostly wait for the engine), at most four. */
  public static final int DEFAULT_LIMIT =
      Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));

  private final int limit;

  public Parallel(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  /**
   * Runs {@code tasks}; {@code starting} is told each task's index in the calling thread just
   * before that task starts (in order, and never for a task that does not start).
   */
  public <T> List<T> map(List<? extends Task<T>> tasks, IntConsumer starting) throws IOException {
    return map(tasks, starting, result -> false);
  }

  /**
   * As {@link #map(List, IntConsumer)}, ending early as a loop that breaks after a result {@code
   * last} accepts: no task starts after one has given such a result (or failed), and the list ends
   * with it. A task that had already started after it is waited for and its result (or failure)
   * dropped, as a loop would not have run it.
   */
  public <T> List<T> map(
      List<? extends Task<T>> tasks, IntConsumer starting, Predicate<? super T> last)
      throws IOException {
    if (limit == 1 || tasks.size() < 2) {
      List<T> out = new ArrayList<>(tasks.size());
      for (int i = 0; i < tasks.size(); i++) {
        starting.accept(i);
        T result = tasks.get(i).run();
        out.add(result);
        if (last.test(result)) {
          break;
        }
      }
      return out;
    }
    int n = tasks.size();
    Object[] results = new Object[n];
    Throwable[] failures = new Throwable[n];
    AtomicBoolean ended = new AtomicBoolean();
    Semaphore permits = new Semaphore(limit);
    List<Future<?>> started = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(limit, n), daemonThreads());
    try {
      for (int i = 0; i < n && !ended.get(); i++) {
        permits.acquire();
        if (ended.get()) {
          permits.release();
          break;
        }
        starting.accept(i);
        int index = i;
        Task<T> task = tasks.get(i);
        started.add(
            pool.submit(
                () -> {
                  try {
                    T result = task.run();
                    results[index] = result;
                    if (last.test(result)) {
                      ended.set(true);
                    }
                  } catch (Throwable t) {
                    failures[index] = t;
                    ended.set(true);
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (Future<?> f : started) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
      throw new InterruptedIOException("interrupted while running " + n + " tasks");
    } catch (ExecutionException e) {
      throw new IllegalStateException("a task escaped its own handler", e.getCause());
    } finally {
      pool.shutdown();
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < started.size(); i++) {
      if (failures[i] != null) {
        throw rethrow(failures[i]);
      }
      @SuppressWarnings("unchecked")
      T result = (T) results[i];
      out.add(result);
      if (last.test(result)) {
        break;
      }
    }
    return out;
  }

  /**
   * Runs {@code background} on a thread of its own while {@code foreground} runs in the calling
   * thread, and waits for both: when either fails the other has still ended before the exception
   * (the foreground's when both fail) is thrown, and {@code undoForeground} is given a foreground
   * result whose partner failed.
   */
  public static <A, B> Pair<A, B> both(
      Task<A> background, Task<B> foreground, java.util.function.Consumer<B> undoForeground)
      throws IOException {
    Object[] bg = new Object[1];
    Throwable[] bgFailure = new Throwable[1];
    Thread thread =
        daemonThreads()
            .newThread(
                () -> {
                  try {
                    bg[0] = background.run();
                  } catch (Throwable t) {
                    bgFailure[0] = t;
                  }
                });
    thread.start();
    B fg;
    try {
      fg = foreground.run();
    } catch (IOException | RuntimeException | Error e) {
      join(thread);
      throw e;
    }
    try {
      join(thread);
    } catch (InterruptedIOException e) {
      undoForeground.accept(fg);
      throw e;
    }
    if (bgFailure[0] != null) {
      undoForeground.accept(fg);
      throw rethrow(bgFailure[0]);
    }
    @SuppressWarnings("unchecked")
    A a = (A) bg[0];
    return new Pair<>(a, fg);
  }

  /** Two results. */
  public record Pair<A, B>(A first, B second) {}

  private static void join(Thread thread) throws InterruptedIOException {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + thread.getName());
    }
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new UncheckedIOException(new IOException(t));
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "skinnywhale-worker-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
