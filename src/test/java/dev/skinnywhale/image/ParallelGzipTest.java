package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

/**
 * The blocks deflated on several threads make one gzip stream, the same bytes whatever the threads.
 */
class ParallelGzipTest {
  static final int B = ParallelGzip.BLOCK;

  /** Half text that repeats across the blocks' cuts, half random bytes. */
  static byte[] input(int size, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] =
          (i / 4096) % 2 == 0
              ? (byte) ("skinny whale " + (i % 97)).charAt(i % 13)
              : (byte) r.nextInt();
    }
    return b;
  }

  static byte[] gzip(byte[] in, int threads, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new ParallelGzip(out, Deflater.DEFAULT_COMPRESSION, threads)) {
      for (int off = 0; off < in.length; off += chunk) {
        z.write(in, off, Math.min(chunk, in.length - off));
      }
    }
    return out.toByteArray();
  }

  static byte[] gunzip(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTrip_everySizeAroundTheBlocks_readByTwoReaders() throws IOException {
    for (int size : new int[] {0, 1, 32 * 1024 - 1, B - 1, B, B + 1, 2 * B, 3 * B + B / 2}) {
      byte[] in = input(size, size);
      byte[] z = gzip(in, 3, 65536);
      assertArrayEquals(
          in, gunzip(new GZIPInputStream(new ByteArrayInputStream(z))), "java.util.zip, " + size);
      assertArrayEquals(
          in,
          gunzip(new GzipCompressorInputStream(new ByteArrayInputStream(z))),
          "commons-compress, " + size);
    }
  }

  @Test
  void bytes_theSameWhateverTheThreadsAndTheWrites() throws IOException {
    byte[] in = input(4 * B + 12345, 7);
    byte[] one = gzip(in, 1, B);
    assertArrayEquals(one, gzip(in, 2, 1000));
    assertArrayEquals(one, gzip(in, 8, 7 * B));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new ParallelGzip(out, Deflater.DEFAULT_COMPRESSION, 4)) {
      for (byte b : java.util.Arrays.copyOf(in, 300_000)) {
        z.write(b);
      }
      z.write(in, 300_000, in.length - 300_000);
    }
    assertArrayEquals(one, out.toByteArray());
  }

  @Test
  void header_noNameNoMtime_trailer_crcAndSize() throws IOException {
    byte[] in = input(B + 5, 3);
    byte[] z = gzip(in, 2, B);
    assertArrayEquals(
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff},
        java.util.Arrays.copyOf(z, 10));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(in);
    java.nio.ByteBuffer t =
        java.nio.ByteBuffer.wrap(z, z.length - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals((int) crc.getValue(), t.getInt());
    assertEquals(in.length, t.getInt());
  }

  @Test
  void size_closeToOneStreamsDeflate() throws IOException {
    byte[] in = input(3 * B, 11);
    ByteArrayOutputStream ref = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(ref)) {
      z.write(in);
    }
    long ours = gzip(in, 2, B).length;
    assertTrue(ours <= ref.size() * 1.01 + 64, ours + " against " + ref.size());
  }

  @Test
  void writeAfterClose_refused_closeTwice_harmless() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream z = new ParallelGzip(out, Deflater.DEFAULT_COMPRESSION, 2);
    z.write(1);
    z.close();
    int n = out.size();
    z.close();
    assertEquals(n, out.size());
    assertThrows(IOException.class, () -> z.write(2));
  }

  @Test
  void failingSink_failsTheWrite() {
    var broken =
        new OutputStream() {
          int left = 10 + 4000; // the header and a little
          int after; // bytes offered after the failure

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (left < 0) {
              after += len;
            }
            if ((left -= len) < 0) {
              throw new IOException("disk full");
            }
          }
        };
    byte[] in = input(8 * B, 5);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (OutputStream z = new ParallelGzip(broken, Deflater.DEFAULT_COMPRESSION, 2)) {
                z.write(in);
              }
            });
    assertEquals("disk full", e.getMessage());
    assertEquals(0, broken.after, "nothing written after the failure (no trailer of a lost block)");
  }
}
