package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.Blob;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file holding tar data (a spooled tar stream, or an image archive or blob read in place); blobs
 * are windows on it. Closing it closes the channel and, for a spool file, deletes the file; after
 * that every blob read fails.
 */
final class SpoolFile implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final boolean delete;

  SpoolFile(Path path) throws IOException {
    this(path, true);
  }

  SpoolFile(Path path, boolean deleteOnClose) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.delete = deleteOnClose;
  }

  /** A stream over {@code length} bytes from {@code offset}, read positionally. */
  InputStream stream(long offset, long length) {
    return new Window(offset, length).open();
  }

  Path path() {
    return path;
  }

  long size() throws IOException {
    return channel.size();
  }

  Blob blob(long offset, long size) {
    return new Window(offset, size);
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (delete) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The content of one entry: {@code size} bytes at {@code offset} of the spool file. */
  private final class Window implements Blob {
    private final long offset;
    private final long size;

    Window(long offset, long size) {
      this.offset = offset;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    /** Memory-mapped, so it costs no heap; at most 2 GiB - 1 bytes (a mapping's limit). */
    @Override
    public ByteBuffer read(long maxBytes) throws IOException {
      long n = Math.min(Math.min(maxBytes, size), Integer.MAX_VALUE);
      if (n <= 0) {
        return ByteBuffer.allocate(0).asReadOnlyBuffer();
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, offset, n);
    }

    @Override
    public InputStream open() {
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
          ByteBuffer dst = ByteBuffer.wrap(b, off, (int) Math.min(len, size - pos));
          int r = channel.read(dst, offset + pos);
          if (r < 0) {
            throw new IOException("spool file ended inside an entry at offset " + (offset + pos));
          }
          pos += r;
          return r;
        }

        @Override
        public long skip(long n) {
          long k = Math.max(0, Math.min(n, size - pos));
          pos += k;
          return k;
        }

        @Override
        public int available() {
          return (int) Math.min(Integer.MAX_VALUE, size - pos);
        }
      };
    }
  }
}
