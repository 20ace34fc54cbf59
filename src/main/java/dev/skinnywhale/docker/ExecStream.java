package dev.skinnywhale.docker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The standard output of a command run in a container ({@link DockerEngine#execStream}), read as a
 * stream from the engine's multiplexed exec answer (8-byte frame headers: stream 1 stdout, 2
 * stderr). Its standard error is kept (the last {@link #MAX_STDERR} bytes); once the output has
 * ended, {@link #exitCode()} is the command's exit code.
 */
public final class ExecStream extends InputStream {
  static final int MAX_STDERR = 16 * 1024;

  private final InputStream raw;
  private final Supplier<Optional<Integer>> exitCode;
  private final StringBuilder stderr = new StringBuilder();
  private long stderrLength;
  private final byte[] head = new byte[8];
  private long left;
  private boolean ended;

  ExecStream(InputStream raw, Supplier<Optional<Integer>> exitCode) {
    this.raw = raw;
    this.exitCode = exitCode;
  }

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
    while (left == 0) {
      if (ended || !nextStdoutFrame()) {
        ended = true;
        return -1;
      }
    }
    int n = raw.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw new IOException("the engine's exec stream ended inside a frame");
    }
    left -= n;
    return n;
  }

  /** Reads frame headers, keeping stderr frames aside, until a stdout frame; false at the end. */
  private boolean nextStdoutFrame() throws IOException {
    while (true) {
      int got = raw.readNBytes(head, 0, 8);
      if (got == 0) {
        return false;
      }
      if (got != 8) {
        throw new IOException("the engine's exec stream ended inside a frame header");
      }
      long size =
          ((head[4] & 0xffL) << 24)
              | ((head[5] & 0xff) << 16)
              | ((head[6] & 0xff) << 8)
              | (head[7] & 0xff);
      if (head[0] == 1) {
        left = size;
        if (size > 0) {
          return true;
        }
        continue;
      }
      byte[] text = raw.readNBytes((int) Math.min(size, Integer.MAX_VALUE));
      if (text.length != size) {
        throw new IOException("the engine's exec stream ended inside a frame");
      }
      String said = new String(text, java.nio.charset.StandardCharsets.UTF_8);
      stderr.append(said);
      stderrLength += said.length();
      if (stderr.length() > MAX_STDERR) {
        stderr.delete(0, stderr.length() - MAX_STDERR);
      }
    }
  }

  /** How many characters the command wrote to stderr so far, {@link #stderr} keeping the last. */
  public long stderrLength() {
    return stderrLength;
  }

  /** What the command wrote to stderr so far (its end). */
  public String stderr() {
    return stderr.toString();
  }

  /** The exit code, once the output has been read to its end; empty if the engine does not say. */
  public Optional<Integer> exitCode() throws IOException {
    if (!ended) {
      throw new IllegalStateException("the output has not been read to its end");
    }
    return exitCode.get();
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
