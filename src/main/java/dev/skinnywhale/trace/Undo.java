package dev.skinnywhale.trace;

/** Where the probe registers what it creates, so it is removed also on failure and Ctrl-C. */
public interface Undo {
  /** An undo action. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /** Registers an action; the returned handle runs it early, once. */
  Runnable add(String what, Action action);
}
