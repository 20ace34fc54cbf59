package dev.skinnywhale.image;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * How a layer blob is compressed. Reading detects it from the first bytes (a media type can lie);
 * writing is deterministic: gzip with no name and mtime 0, deflated in blocks on several threads
 * ({@link ParallelGzip}: the same bytes whatever the number of threads), zstd from aircompressor
 * (pure Java, so no native code parses untrusted layers, and the same bytes on every platform).
 */
public enum Compression {
  NONE(MediaTypes.OCI_LAYER),
  GZIP(MediaTypes.OCI_LAYER_GZIP),
  ZSTD(MediaTypes.OCI_LAYER_ZSTD);

  private final String ociMediaType;

  /** The threads a gzip stream deflates on: the machine's processors, at most 8. */
  static final int GZIP_THREADS =
      Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

  Compression(String ociMediaType) {
    this.ociMediaType = ociMediaType;
  }

  public String ociMediaType() {
    return ociMediaType;
  }

  /** From the first bytes of a blob: gzip's 1f 8b, zstd's frame magic 28 b5 2f fd, else none. */
  public static Compression detect(byte[] head, int length) {
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (length >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** The uncompressed stream of {@code in} (closing it closes {@code in}). */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
    };
  }

  /**
   * A stream that compresses into {@code out}; closing it finishes the compressed stream but does
   * not close {@code out}.
   */
  public OutputStream compress(OutputStream out) throws IOException {
    OutputStream keepOpen =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush();
          }
        };
    return switch (this) {
      case NONE -> keepOpen;
      case GZIP -> new ParallelGzip(keepOpen, Deflater.DEFAULT_COMPRESSION);
      case ZSTD -> new ZstdOutputStream(keepOpen);
    };
  }
}
