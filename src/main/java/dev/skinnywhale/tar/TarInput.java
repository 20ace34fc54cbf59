package dev.skinnywhale.tar;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * A tar stream read once, front to back, counting its bytes; its length when it is known up front
 * (a spool file), so that a truncated entry is caught before any of it is read.
 */
final class TarInput {
  private final InputStream in;
  private final OptionalLong length;
  private long position;

  TarInput(InputStream in, OptionalLong length) {
    this.in = in;
    this.length = length;
  }

  /** The offset of the next byte. */
  long position() {
    return position;
  }

  OptionalLong length() {
    return length;
  }

  /** Up to {@code len} bytes; -1 at the end of the stream. */
  int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /** Reads {@code len} bytes unless the stream ends first; returns how many it read. */
  int readFully(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = read(b, off + done, len - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  /** Skips {@code n} bytes unless the stream ends first; returns how many it skipped. */
  long skip(long n) throws IOException {
    long done = 0;
    byte[] one = null;
    while (done < n) {
      long k = in.skip(n - done);
      if (k > 0) {
        done += k;
        position += k;
        continue;
      }
      // skip() may return 0 before the end: one read tells
      if (one == null) {
        one = new byte[1];
      }
      if (read(one, 0, 1) < 0) {
        break;
      }
      done++;
    }
    return done;
  }
}
