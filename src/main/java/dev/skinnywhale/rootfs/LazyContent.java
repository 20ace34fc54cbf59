package dev.skinnywhale.rootfs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * File content fetched on demand, in batches, from a {@link Source} (the helper container's {@code
 * serve} or {@code tar} mode), and spooled once to a temporary file: each path is fetched at most
 * once, whoever asks for it (the closure resolver, the package reader, the layer writer), and a
 * blob read after that is a window on the spool file. {@link #prefetch} fetches many paths in one
 * call; a blob read before its path was prefetched fetches that path alone. Thread-safe. Closing it
 * deletes the spool file; {@link #release} deletes it too, and what is read after that is fetched
 * again.
 *
 * <p>Reads of up to {@value #MAX_HEAP_READ} bytes are copied to the heap, larger ones mapped: a
 * mapping keeps the spool file's pages, which are dirty, alive until the buffer is collected, and
 * the engine writes back every dirty page of the disk before it creates a container (measured here:
 * 400 MB of them make a {@code docker create} take 0.65 s instead of 30 ms).
 */
public final class LazyContent implements Closeable {
  /** Where content comes from: each asked path's bytes, in any order, each once at most. */
  @FunctionalInterface
  public interface Source {
    void fetch(List<String> paths, Sink sink) throws IOException;
  }

  /** Receives the content of one fetched path ({@code size} bytes from {@code in}). */
  @FunctionalInterface
  public interface Sink {
    void accept(String path, long size, InputStream in) throws IOException;
  }

  /** The buffer a fetched file's content is copied to the spool through. */
  static final int COPY_BUFFER = 1 << 20;

  /** The most bytes a read copies to the heap rather than maps. */
  static final long MAX_HEAP_READ = 32L << 20;

  private final Source source;
  private final Path spoolDir;
  private Path spool;
  private FileChannel channel;
  private final Map<String, Long> expected = new HashMap<>();
  private final Map<String, long[]> spooled = new HashMap<>();
  private byte[] copyBuffer;
  private long fetches;
  private boolean closed;

  public LazyContent(Source source, Path spoolDir) throws IOException {
    this.source = source;
    this.spoolDir = spoolDir;
    this.spool = newSpool(spoolDir);
    this.channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static Path newSpool(Path dir) throws IOException {
    return Files.createTempFile(dir, "skinnywhale-content-", ".bin");
  }

  /**
   * Deletes what was fetched so far (once a slim layer is written, its content is not needed again,
   * and its dirty pages would hold up the engine's next container create); a blob read after this
   * fetches its path again. A stream opened before fails on its next read.
   */
  public synchronized void release() throws IOException {
    if (closed || spooled.isEmpty()) {
      return;
    }
    Path next = newSpool(spoolDir);
    FileChannel nextChannel;
    try {
      nextChannel = FileChannel.open(next, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(next);
      throw e;
    }
    FileChannel old = channel;
    Path oldSpool = spool;
    spool = next;
    channel = nextChannel;
    spooled.clear();
    try {
      old.close();
    } finally {
      Files.deleteIfExists(oldSpool);
    }
  }

  /** The content of the regular file at {@code path}, {@code size} bytes as its index says. */
  public synchronized Blob blob(String path, long size) {
    return blob(path, size, new byte[0]);
  }

  /**
   * As {@link #blob(String, long)}, with the content's first bytes already known: a read of no more
   * than them (the whole of a file no larger) fetches nothing.
   */
  public synchronized Blob blob(String path, long size, byte[] head) {
    expected.put(path, size);
    return new Lazy(path, size, head.length <= size ? head.clone() : new byte[0]);
  }

  /** How many calls to the source were made (one per batch). */
  public synchronized long fetches() {
    return fetches;
  }

  /**
   * Fetches, in one call, those of {@code paths} that are files of this content not yet fetched.
   */
  public synchronized void prefetch(Collection<String> paths) throws IOException {
    if (closed) {
      throw new IOException("the content was closed");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String p : paths) {
      if (expected.containsKey(p) && !spooled.containsKey(p)) {
        wanted.add(p);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    fetches++;
    List<String> asked = new ArrayList<>(wanted);
    source.fetch(asked, this::store);
  }

  private void store(String path, long size, InputStream in) throws IOException {
    Long want = expected.get(path);
    if (want == null || spooled.containsKey(path)) {
      return;
    }
    if (want != size) {
      throw new IOException(
          path + " changed while it was read: " + size + " bytes, the index said " + want);
    }
    long offset = channel.size();
    // large reads: transferFrom would copy a stream 8 KB at a time through every layer below it
    if (copyBuffer == null) {
      copyBuffer = new byte[COPY_BUFFER];
    }
    long copied = 0;
    while (copied < size) {
      int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, size - copied));
      if (n < 0) {
        throw new IOException("the content of " + path + " ended after " + copied + " bytes");
      }
      ByteBuffer chunk = ByteBuffer.wrap(copyBuffer, 0, n);
      while (chunk.hasRemaining()) {
        copied += channel.write(chunk, offset + copied);
      }
    }
    spooled.put(path, new long[] {offset, size});
  }

  private synchronized long[] region(String path) throws IOException {
    if (!spooled.containsKey(path)) {
      prefetch(List.of(path));
    }
    long[] r = spooled.get(path);
    if (r == null) {
      throw new IOException("the helper container did not give the content of " + path);
    }
    return r;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private final class Lazy implements Blob {
    private final String path;
    private final long size;
    private final byte[] head;

    Lazy(String path, long size, byte[] head) {
      this.path = path;
      this.size = size;
      this.head = head;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public ByteBuffer read(long maxBytes) throws IOException {
      long n = Math.min(Math.min(maxBytes, size), Integer.MAX_VALUE);
      if (n <= 0) {
        return ByteBuffer.allocate(0).asReadOnlyBuffer();
      }
      if (n <= head.length) {
        return ByteBuffer.wrap(head, 0, (int) n).slice().asReadOnlyBuffer();
      }
      synchronized (LazyContent.this) {
        long[] r = region(path);
        if (n > MAX_HEAP_READ) {
          return channel.map(FileChannel.MapMode.READ_ONLY, r[0], n);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) n);
        while (buf.hasRemaining()) {
          if (channel.read(buf, r[0] + buf.position()) < 0) {
            throw new IOException("the spool file ends inside " + path);
          }
        }
        return buf.flip().asReadOnlyBuffer();
      }
    }

    @Override
    public InputStream open() throws IOException {
      if (size == 0) {
        return InputStream.nullInputStream();
      }
      if (head.length == size) {
        return new java.io.ByteArrayInputStream(head);
      }
      long[] r;
      FileChannel in;
      synchronized (LazyContent.this) {
        r = region(path);
        in = channel;
      }
      return new InputStream() {
        private long pos;

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
          if (pos >= size) {
            return -1;
          }
          int got = in.read(ByteBuffer.wrap(b, off, (int) Math.min(len, size - pos)), r[0] + pos);
          if (got < 0) {
            throw new IOException("the spool file ends inside " + path);
          }
          pos += got;
          return got;
        }
      };
    }
  }
}
