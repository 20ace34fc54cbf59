package dev.skinnywhale.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** The content of a regular file, read on demand. */
public interface Blob {
  long size();

  /** A stream over the whole content. */
  InputStream open() throws IOException;

  /**
   * Up to {@code maxBytes} of the content from the start, as a read-only buffer (memory-mapped
   * where the source allows, so large files cost no heap).
   */
  ByteBuffer read(long maxBytes) throws IOException;
}
