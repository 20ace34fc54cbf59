package dev.skinnywhale.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an image into an OCI image layout directory ({@code oci:DIR[:NAME]}). A new directory is
 * written beside its destination and moved into place; into an existing layout the blobs are added
 * (each moved into place whole) and index.json is replaced atomically, an image of the same name
 * replaced, others kept. Nothing half-written is left on failure.
 */
public final class OciLayoutWriter {
  private final ManifestJson json;

  public OciLayoutWriter(ManifestJson json) {
    this.json = json;
  }

  /**
   * @param staging an empty directory on the same filesystem as {@code dir}, for the new files
   */
  public void write(BuiltImage image, Path dir, String name, Path staging) throws IOException {
    Path stagedBlobs = Files.createDirectories(staging.resolve("blobs").resolve("sha256"));
    write(stagedBlobs.resolve(Digests.hex(image.config().digest())), image.configBytes());
    write(stagedBlobs.resolve(Digests.hex(image.manifestDigest())), image.manifestBytes());
    Files.copy(image.layerFile(), stagedBlobs.resolve(Digests.hex(image.layer().digest())));
    Descriptor named = ImageArchiveWriter.named(image.manifest(), name);
    if (!Files.exists(dir)) {
      write(staging.resolve("index.json"), json.writeIndex(List.of(named)));
      write(staging.resolve("oci-layout"), ImageArchiveWriter.OCI_LAYOUT);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path index = dir.resolve("index.json");
    if (!Files.isRegularFile(index) || !Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new java.nio.file.FileAlreadyExistsException(
          dir.toString(), null, "exists and is not an OCI image layout");
    }
    List<Descriptor> manifests = new ArrayList<>();
    try (InputStream in = Files.newInputStream(index)) {
      for (Descriptor d : json.index(in.readNBytes(ManifestJson.MAX_BYTES + 1), index.toString())) {
        if (!name.equals(d.annotations().get(MediaTypes.REF_NAME))) {
          manifests.add(d);
        }
      }
    }
    manifests.add(named);
    Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    try (var staged = Files.list(stagedBlobs)) {
      for (Path b : staged.toList()) {
        Path dest = blobs.resolve(b.getFileName().toString());
        if (!Files.exists(dest)) {
          Files.move(b, dest, StandardCopyOption.ATOMIC_MOVE);
        }
      }
    }
    Path newIndex = staging.resolve("index.json");
    write(newIndex, json.writeIndex(manifests));
    Files.move(
        newIndex, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
  }
}
