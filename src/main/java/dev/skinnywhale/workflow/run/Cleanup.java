package dev.skinnywhale.workflow.run;

import dev.skinnywhale.trace.Undo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The undo list of one run: every temporary container, image and file is registered here the moment
 * it exists, and removed in reverse order when the run ends — normally, on failure, or from a
 * shutdown hook on Ctrl-C. Safe to run from two threads; each action runs at most once.
 */
public final class Cleanup implements AutoCloseable, Undo {
  private record Entry(String what, Action action) {}

  private final Deque<Entry> actions = new ArrayDeque<>();
  private final Reporter reporter;
  private boolean closed;
  private final Object closing = new Object();

  public Cleanup(Reporter reporter) {
    this.reporter = reporter;
  }

  /**
   * Registers an undo action; returns a handle that runs it early (and only once). After the
   * cleanup has run (a Ctrl-C while the run was still making something), the action runs at once.
   */
  @Override
  public Runnable add(String what, Action action) {
    Entry entry = new Entry(what, action);
    synchronized (this) {
      if (!closed) {
        actions.push(entry);
        return () -> runOne(entry);
      }
    }
    execute(entry);
    return () -> {};
  }

  private void runOne(Entry entry) {
    synchronized (this) {
      if (!actions.remove(entry)) {
        return;
      }
    }
    execute(entry);
  }

  private void execute(Entry entry) {
    try {
      entry.action().run();
      reporter.debug("cleaned up " + entry.what());
    } catch (Exception e) {
      reporter.warn("could not remove " + entry.what() + ": " + e.getMessage());
    }
  }

  /**
   * Runs every remaining action, newest first. A second call (the shutdown hook and the run's own
   * end racing on Ctrl-C) waits until the first has finished, so nothing that the cleanup still
   * needs (the engine connection) is closed under it.
   */
  @Override
  public void close() {
    synchronized (closing) {
      List<Entry> todo;
      synchronized (this) {
        closed = true;
        todo = new ArrayList<>(actions);
        actions.clear();
      }
      for (Entry e : todo) {
        execute(e);
      }
    }
  }
}
