package dev.skinnywhale.image;

import dev.skinnywhale.tar.TarFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns layer blobs into checked, uncompressed tars ({@link LayerTar}). An uncompressed blob is
 * used in place (hashed once, never copied); a gzip or zstd one is decompressed into a spool file
 * of the temporary directory, hashed on the way in both forms. Every digest that names the blob
 * (its descriptor digest, the config's diff_id) must match, or reading fails naming the blob.
 * Decompression is bounded: all layers of one image together may not exceed {@code maxBytes}
 * uncompressed (a gzip bomb is an error, not a full disk).
 */
public final class LayerReader implements java.io.Closeable {
  /** Default bound on an image's uncompressed layers: 64 GiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 30;

  private final Path tempDir;
  private final List<TarFile> spools = new ArrayList<>();
  private final long maxBytes;
  private long remaining;

  public LayerReader(Path tempDir, long maxBytes) {
    this.tempDir = tempDir;
    this.maxBytes = maxBytes;
    this.remaining = maxBytes;
  }

  /**
   * @param blob the layer blob
   * @param blobDigest the digest the blob is named by (an OCI descriptor), when it has one
   * @param diffId the config's diff_id for this layer, when known
   */
  public LayerTar read(BlobRegion blob, Optional<String> blobDigest, Optional<String> diffId)
      throws IOException {
    Compression compression = detect(blob);
    if (compression == Compression.NONE) {
      String sha = digest(blob);
      expect(blob.name(), "digest", blobDigest, sha);
      expect(blob.name(), "diff_id", diffId, sha);
      remaining -= blob.length();
      checkBudget(blob.name());
      return new LayerTar(blob.name(), sha, blob.file(), blob.offset(), blob.length());
    }
    Path spool = Files.createTempFile(tempDir, "skinnywhale-layer-", ".tar");
    TarFile file = TarFile.spool(spool);
    spools.add(file);
    MessageDigest compressed = Digests.sha256();
    MessageDigest uncompressed = Digests.sha256();
    long written;
    try (InputStream raw = new DigestInputStream(blob.open(), compressed);
        InputStream in = compression.decompress(raw);
        OutputStream out =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16), uncompressed)) {
      written = copyBounded(in, out, blob.name());
      raw.transferTo(OutputStream.nullOutputStream()); // trailing bytes still count for the digest
    } catch (ImageFormatException e) {
      throw e;
    } catch (java.util.zip.ZipException | java.io.EOFException | RuntimeException e) {
      // RuntimeException: aircompressor's MalformedInputException
      throw new ImageFormatException(
          "layer " + blob.name() + ": bad " + compression + " data: " + e.getMessage(), e);
    }
    expect(blob.name(), "digest", blobDigest, Digests.format(compressed.digest()));
    String sha = Digests.format(uncompressed.digest());
    expect(blob.name(), "diff_id", diffId, sha);
    return new LayerTar(blob.name(), sha, file, 0, written);
  }

  private long copyBounded(InputStream in, OutputStream out, String name) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      total += n;
      remaining -= n;
      checkBudget(name);
      out.write(buf, 0, n);
    }
    return total;
  }

  private void checkBudget(String name) {
    if (remaining < 0) {
      throw new ImageFormatException(
          "layer "
              + name
              + ": the image's layers are larger than the limit of 64 GiB uncompressed");
    }
  }

  private static Compression detect(BlobRegion blob) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = blob.open()) {
      n = in.readNBytes(head, 0, 4);
    }
    return Compression.detect(head, n);
  }

  static String digest(BlobRegion blob) throws IOException {
    MessageDigest sha = Digests.sha256();
    try (InputStream in = blob.open()) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
    return Digests.format(sha.digest());
  }

  static void expect(String name, String what, Optional<String> expected, String actual) {
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new ImageFormatException(
          "blob "
              + name
              + ": "
              + what
              + " mismatch: expected "
              + expected.get()
              + ", got "
              + actual);
    }
  }

  /** The spool files it made (deleted when the image they belong to is closed). */
  List<TarFile> spools() {
    return List.copyOf(spools);
  }

  /** Deletes every spool file. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (TarFile f : spools) {
      try {
        f.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    spools.clear();
    if (first != null) {
      throw first;
    }
  }
}
