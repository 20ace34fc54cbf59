package dev.skinnywhale.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A command run in a container with its standard input attached ({@link DockerEngine#execSession}):
 * what is {@link #send sent} reaches its stdin, its stdout is read from {@link #output()} as it
 * comes. The input is queued, never blocking the sender, so a sender may send a whole request
 * before it reads the answer whatever their sizes. Closing ends the command's input (it sees the
 * end of its stdin) and the answer's stream.
 */
public final class ExecSession implements AutoCloseable {
  private static final byte[] END = new byte[0];

  /** How long closing waits for the transport to take the input's end before it closes. */
  static final long INPUT_END_WAIT_MILLIS = 1000;

  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final java.util.concurrent.CountDownLatch inputEnded =
      new java.util.concurrent.CountDownLatch(1);
  private volatile ExecStream output;
  private boolean closed;

  ExecSession() {}

  /**
   * A session whose command's output is {@code raw}, an engine's multiplexed exec stream (for an
   * engine other than docker-java's, and tests); what is sent is queued and dropped.
   */
  public static ExecSession over(InputStream raw) {
    ExecSession session = new ExecSession();
    session.output(new ExecStream(raw, java.util.Optional::empty));
    session.inputEnded.countDown(); // no transport takes its input
    return session;
  }

  /** The stream the transport copies to the command's stdin, until {@link #close()}. */
  InputStream input() {
    return new InputStream() {
      private byte[] chunk = new byte[0];
      private int at;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (chunk != END && at == chunk.length) {
          try {
            chunk = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the session's input was interrupted");
          }
          at = 0;
        }
        if (chunk == END) {
          inputEnded.countDown();
          return -1;
        }
        int n = Math.min(len, chunk.length - at);
        System.arraycopy(chunk, at, b, off, n);
        at += n;
        return n;
      }
    };
  }

  void output(ExecStream output) {
    this.output = output;
  }

  /** Queues {@code bytes} for the command's stdin. */
  public synchronized void send(byte[] bytes) throws IOException {
    if (closed) {
      throw new IOException("the session is closed");
    }
    if (bytes.length > 0) {
      queue.add(bytes.clone());
    }
  }

  /** The command's stdout (its stderr kept aside, as {@link ExecStream} does). */
  public ExecStream output() {
    return output;
  }

  /**
   * Ends the command's input and closes the answer's stream, once the transport has taken the
   * input's end (it shuts its side of the connection down then; closed under it, it would fail on a
   * thread of its own), or after {@link #INPUT_END_WAIT_MILLIS}. Closing does not wake a read
   * blocked on a unix socket: the command's end (its container removed) does.
   */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(END);
    }
    try {
      inputEnded.await(INPUT_END_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ExecStream out = output;
    if (out != null) {
      out.close();
    }
  }
}
