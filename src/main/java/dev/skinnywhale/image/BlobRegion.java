package dev.skinnywhale.image;

import dev.skinnywhale.tar.TarFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Where a blob's bytes are: a region of a file (a whole blob file of an OCI layout or a registry
 * download, or a member of an image archive), read in place.
 *
 * @param name the blob as messages name it (digest or archive member)
 * @param file the file
 * @param offset where the blob starts
 * @param length its length
 */
public record BlobRegion(String name, TarFile file, long offset, long length) {
  public BlobRegion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
  }

  public InputStream open() throws IOException {
    return file.window(offset, length).open();
  }

  /** The whole blob in memory, for JSON documents (bounded by {@code max}). */
  public byte[] readAll(int max) throws IOException {
    if (length > max) {
      throw new ImageFormatException(
          name + " is " + length + " bytes, more than the " + max + " a JSON document may have");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    }
  }
}
