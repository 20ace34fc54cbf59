package dev.skinnywhale.image;

import dev.skinnywhale.tar.TarFile;
import java.util.Objects;

/**
 * One layer of an image as an uncompressed tar whose digest has been checked: a region of a file
 * (the blob itself when it was stored uncompressed, else a spool file it was decompressed into).
 *
 * @param name what the layer is called in messages (its blob digest or archive member)
 * @param diffId sha256 of the uncompressed tar
 * @param file the file holding it
 * @param offset where the tar starts in the file
 * @param length its length in bytes
 */
public record LayerTar(String name, String diffId, TarFile file, long offset, long length) {
  public LayerTar {
    Objects.requireNonNull(name, "name");
    Digests.check(diffId, name);
    Objects.requireNonNull(file, "file");
  }
}
