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

  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private ExecStream output;
  private boolean closed;

  ExecSession() {}

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

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(END);
    if (output != null) {
      output.close();
    }
  }
}
