package dev.skinnywhale.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;

/**
 * What a writer writes, read as it is written: the writer runs on a thread of its own into a pipe,
 * so an archive goes to the engine without being spooled to disk first. When the writer fails, the
 * reader gets its exception instead of the end of the stream (a half-written archive never looks
 * complete); closing the stream early makes the writer's next write fail, and waits for it to end.
 */
public final class WriterStream extends InputStream {
  /** Writes the content; the stream is closed after it returns. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private final Pipe.SourceChannel source;
  private final InputStream in;
  private final Thread thread;
  private volatile Throwable failure;

  private WriterStream(Pipe pipe, String name, Writer writer) {
    this.source = pipe.source();
    this.in = Channels.newInputStream(source);
    Pipe.SinkChannel sink = pipe.sink();
    this.thread =
        new Thread(
            () -> {
              try (OutputStream out = Channels.newOutputStream(sink)) {
                writer.writeTo(out);
              } catch (Throwable t) {
                failure = t;
                try {
                  sink.close();
                } catch (IOException ignored) {
                  // the failure is what the reader gets
                }
              }
            },
            name);
    thread.setDaemon(true);
  }

  /** Starts {@code writer} on a thread named {@code name}. */
  public static WriterStream start(String name, Writer writer) throws IOException {
    WriterStream s = new WriterStream(Pipe.open(), name, writer);
    s.thread.start();
    return s;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      join();
      Throwable t = failure;
      if (t != null) {
        throw t instanceof IOException io
            ? new IOException(io.getMessage(), io)
            : new IOException("writing " + thread.getName() + ": " + t, t);
      }
    }
    return n;
  }

  /** Stops reading: the writer's next write fails; waits for it to end. */
  @Override
  public void close() throws IOException {
    try {
      in.close();
    } finally {
      join();
    }
  }

  private void join() throws InterruptedIOException {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + thread.getName());
    }
  }
}
