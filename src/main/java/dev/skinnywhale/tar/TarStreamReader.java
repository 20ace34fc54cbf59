package dev.skinnywhale.tar;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a tar stream member by member, front to back, holding nothing of it in memory: for streams
 * read once (a probe directory copied out of a container). The same safe parser as {@link
 * TarRootFsReader} ({@link TarWalker}): names confined, sizes checked, a truncated stream an error.
 *
 * <pre>{@code
 * try (TarStreamReader tar = new TarStreamReader(in)) {
 *   for (Optional<TarEntry> e = tar.next(); e.isPresent(); e = tar.next()) {
 *     if (e.get().type() == TarEntry.Type.FILE) {
 *       consume(tar.content());
 *     }
 *   }
 * }
 * }</pre>
 */
public final class TarStreamReader implements Closeable {
  private final InputStream stream;
  private final TarWalker walker;
  private TarEntry current;

  /** Reads {@code in}; closing the reader closes it. */
  public TarStreamReader(InputStream in) {
    this.stream = in;
    this.walker = new TarWalker(new TarInput(new BufferedInputStream(in), OptionalLong.empty()));
  }

  /**
   * The next member, or empty after the last one. What was left unread of the previous member's
   * content is skipped.
   *
   * @throws TarFormatException when the stream is malformed, truncated or names something outside
   *     its root
   */
  public Optional<TarEntry> next() throws IOException {
    current = null;
    Optional<TarEntry> e = walker.next();
    current = e.orElse(null);
    return e;
  }

  /**
   * The content of the current member ({@link TarEntry#size()} bytes): it ends where the member
   * does, and is valid until the next call of {@link #next()}. A stream that ends inside it throws
   * {@link TarFormatException} when read.
   */
  public InputStream content() {
    if (current == null) {
      throw new IllegalStateException("no current entry");
    }
    return walker.content();
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
