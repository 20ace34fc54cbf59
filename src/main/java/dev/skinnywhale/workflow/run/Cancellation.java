package dev.skinnywhale.workflow.run;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one cancellation token of a run: set once by the signal handler (the shutdown hook of SIGINT
 * or SIGTERM), checked before every engine call and every step. Setting it is atomic with what the
 * handler announces, and checking it is atomic with what a step announces, so no step line can
 * follow "interrupted". A thread blocked in a wait that has no side effect (a container's exit, its
 * logs, an exec) is woken when the token is set; nothing else is interrupted, so a call that makes
 * something (a create, a commit) always returns its id.
 */
public final class Cancellation {
  private boolean cancelled;
  private final Set<Thread> waiting = new HashSet<>();

  /** Whether the token is set. */
  public synchronized boolean cancelled() {
    return cancelled;
  }

  /**
   * Sets the token, running {@code announce} first under the same lock as {@link #unlessCancelled},
   * and wakes every thread in {@link #waiting}. Returns false (and runs nothing) when it was set
   * already.
   */
  public synchronized boolean cancel(Runnable announce) {
    if (cancelled) {
      return false;
    }
    announce.run();
    cancelled = true;
    waiting.forEach(Thread::interrupt);
    return true;
  }

  /**
   * @throws CancelledException when the token is set
   */
  public synchronized void check() {
    if (cancelled) {
      throw new CancelledException();
    }
  }

  /**
   * Runs {@code action} (a step's announcement) unless the token is set, atomically.
   *
   * @throws CancelledException when the token is set
   */
  public synchronized void unlessCancelled(Runnable action) {
    check();
    action.run();
  }

  /**
   * Runs a blocking call that only waits (it changes nothing in the engine), so that setting the
   * token wakes it with an interrupt; the interrupt never outlives the call. A call that fails once
   * the token is set fails with {@link CancelledException}.
   */
  public <T> T waiting(Supplier<T> call) {
    Thread self = Thread.currentThread();
    synchronized (this) {
      check();
      waiting.add(self);
    }
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (cancelled()) {
        throw new CancelledException(e);
      }
      throw e;
    } finally {
      synchronized (this) {
        waiting.remove(self);
        if (cancelled) {
          Thread.interrupted(); // the wake-up call was for the wait only
        }
      }
    }
  }
}
