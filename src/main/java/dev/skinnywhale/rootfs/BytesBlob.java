package dev.skinnywhale.rootfs;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A blob held in memory: for small generated content and tests. */
public record BytesBlob(byte[] bytes) implements Blob {
  public BytesBlob {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public InputStream open() {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public ByteBuffer read(long maxBytes) {
    int n = (int) Math.min(maxBytes, bytes.length);
    return ByteBuffer.wrap(bytes, 0, n).slice().asReadOnlyBuffer();
  }
}
