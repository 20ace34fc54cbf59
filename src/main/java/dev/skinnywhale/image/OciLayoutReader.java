package dev.skinnywhale.image;

import dev.skinnywhale.tar.TarFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one image of an OCI image layout directory ({@code oci:DIR[:NAME]}): blobs are the files
 * {@code blobs/sha256/<hex>}, read in place; a name is only ever made from a checked digest.
 */
public final class OciLayoutReader {
  private final OciImages oci;

  public OciLayoutReader(OciImages oci) {
    this.oci = oci;
  }

  public LayeredImage read(ImageReference reference, Path dir, LayerReader layers)
      throws IOException {
    Path index = dir.resolve("index.json");
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    if (!Files.isRegularFile(index) || !Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new ImageFormatException(
          "oci:" + dir + " is not an OCI image layout (no index.json and oci-layout)");
    }
    List<Closeable> opened = new ArrayList<>();
    boolean ok = false;
    try {
      String where = "oci:" + dir;
      OciImages.BlobStore store =
          new OciImages.BlobStore() {
            @Override
            public Optional<BlobRegion> find(String digest) throws IOException {
              Path blob = dir.resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
              if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)
                  && !Files.isRegularFile(blob)) {
                return Optional.empty();
              }
              TarFile file = TarFile.open(blob);
              opened.add(file);
              return Optional.of(new BlobRegion(digest, file, 0, file.size()));
            }

            @Override
            public String where() {
              return where;
            }
          };
      if (Files.size(index) > ManifestJson.MAX_BYTES) {
        throw new ImageFormatException(
            where + ": index.json is larger than " + ManifestJson.MAX_BYTES + " bytes");
      }
      byte[] indexBytes;
      try (InputStream in = Files.newInputStream(index)) {
        indexBytes = in.readNBytes(ManifestJson.MAX_BYTES + 1);
      }
      if (indexBytes.length > ManifestJson.MAX_BYTES) {
        throw new ImageFormatException(
            where + ": index.json is larger than " + ManifestJson.MAX_BYTES + " bytes");
      }
      LayeredImage image = oci.read(reference, indexBytes, store, layers, opened);
      ok = true;
      return image;
    } finally {
      if (!ok) {
        layers.close();
        for (Closeable c : opened) {
          c.close();
        }
      }
    }
  }
}
