package dev.skinnywhale.docker;

/**
 * What a container printed, kept for messages within a budget: its first {@value #HEAD} and last
 * {@value #TAIL} characters, with the count of those left out between them. A probe that prints 200
 * MB without a newline costs 8 KiB.
 *
 * <p>Safe to fill from the engine's callback thread and read from another.
 */
public final class OutputExcerpt {
  public static final int HEAD = 4096;
  public static final int TAIL = 4096;

  private final StringBuilder head = new StringBuilder();
  private final StringBuilder tail = new StringBuilder();
  private long dropped;

  /** Adds the next piece of output. */
  public synchronized void append(CharSequence text) {
    int from = 0;
    if (head.length() < HEAD) {
      from = Math.min(text.length(), HEAD - head.length());
      head.append(text, 0, from);
    }
    int rest = text.length() - from;
    if (rest <= 0) {
      return;
    }
    if (rest >= TAIL) {
      dropped += tail.length() + (rest - TAIL);
      tail.setLength(0);
      tail.append(text, text.length() - TAIL, text.length());
    } else {
      int over = tail.length() + rest - TAIL;
      if (over > 0) {
        tail.delete(0, over);
        dropped += over;
      }
      tail.append(text, from, text.length());
    }
  }

  /** The head, a line saying how much was left out (when anything was), and the tail. */
  @Override
  public synchronized String toString() {
    if (dropped == 0) {
      return head.toString() + tail;
    }
    return head + "\n[... " + dropped + " characters left out ...]\n" + tail;
  }
}
