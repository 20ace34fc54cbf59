package dev.skinnywhale.image;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An uncompressed layer tar written to a temporary file.
 *
 * @param path the layer tar
 * @param diffId {@code sha256:<hex>} of the uncompressed tar (the config's {@code rootfs.diff_ids})
 * @param size its length in bytes
 */
public record Layer(Path path, String diffId, long size) implements Closeable {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** Writes a layer's tar bytes. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public Layer {
    Objects.requireNonNull(path, "path");
    if (!DIGEST.matcher(diffId).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + diffId);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }

  /** The hex part of the diffId. */
  public String hex() {
    return diffId.substring("sha256:".length());
  }

  /**
   * Writes {@code content} to a new temporary file in {@code tempDir}, digesting it on the way. The
   * file is deleted if writing fails; otherwise {@link #close()} deletes it.
   */
  public static Layer write(Path tempDir, Content content) throws IOException {
    Path file = Files.createTempFile(tempDir, "skinnywhale-layer-", ".tar");
    boolean ok = false;
    try {
      MessageDigest sha = sha256();
      try (OutputStream raw = Files.newOutputStream(file);
          DigestOutputStream digest =
              new DigestOutputStream(new BufferedOutputStream(raw, 1 << 16), sha)) {
        content.writeTo(digest);
      }
      Layer layer =
          new Layer(file, "sha256:" + HexFormat.of().formatHex(sha.digest()), Files.size(file));
      ok = true;
      return layer;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes the layer file. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(path);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
