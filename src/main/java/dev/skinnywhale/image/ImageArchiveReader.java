package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarFile;
import dev.skinnywhale.tar.TarFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one image of an image archive in place — {@code docker-archive:} (what {@code docker save}
 * writes: {@code manifest.json} with configs and layers named by member, the classic layout as the
 * OCI-hybrid of Docker 25+) or {@code oci-archive:} (an OCI layout in a tar). The archive is walked
 * once by the safe tar reader; symlinked members (older {@code docker save} links repeated layers)
 * are followed inside the archive only; layers stored uncompressed are read where they lie, without
 * a copy.
 */
public final class ImageArchiveReader {
  private static final Pattern BLOB =
      Pattern.compile("/(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)");
  private static final int MAX_HOPS = 40;

  private final ManifestJson json;
  private final OciImages oci;

  public ImageArchiveReader(ManifestJson json, OciImages oci) {
    this.json = json;
    this.oci = oci;
  }

  /** Opens {@code file} as {@code reference} names it; the caller closes the image. */
  public LayeredImage read(ImageReference reference, Path file, LayerReader layers)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    TarFile tar = TarFile.open(file);
    boolean ok = false;
    try {
      Map<String, TarFile.Member> members = new HashMap<>();
      try {
        for (TarFile.Member m : tar.members()) {
          members.put(m.entry().path(), m);
        }
      } catch (TarFormatException e) {
        throw new ImageFormatException(
            file + " is not a readable image archive: " + e.getMessage(), e);
      }
      String where = reference.transport().prefix() + ":" + file;
      LayeredImage image =
          reference.transport() == Transport.OCI_ARCHIVE || !members.containsKey("/manifest.json")
              ? readOci(reference, tar, members, where, layers)
              : readDocker(reference, members, where, layers, tar);
      ok = true;
      return image;
    } finally {
      if (!ok) {
        layers.close();
        tar.close();
      }
    }
  }

  private LayeredImage readOci(
      ImageReference reference,
      TarFile tar,
      Map<String, TarFile.Member> members,
      String where,
      LayerReader layers)
      throws IOException {
    BlobRegion index =
        member(tar, members, "/index.json", where)
            .orElseThrow(
                () ->
                    new ImageFormatException(
                        where + " has neither index.json nor manifest.json: not an image archive"));
    OciImages.BlobStore store =
        new OciImages.BlobStore() {
          @Override
          public Optional<BlobRegion> find(String digest) throws TarFormatException {
            return member(tar, members, "/blobs/sha256/" + Digests.hex(digest), where);
          }

          @Override
          public String where() {
            return where;
          }
        };
    return oci.read(reference, index.readAll(ManifestJson.MAX_BYTES), store, layers, List.of(tar));
  }

  private LayeredImage readDocker(
      ImageReference reference,
      Map<String, TarFile.Member> members,
      String where,
      LayerReader layers,
      TarFile tar)
      throws IOException {
    byte[] manifest =
        member(tar, members, "/manifest.json", where).orElseThrow().readAll(ManifestJson.MAX_BYTES);
    ManifestJson.ArchiveImage image =
        choose(json.archiveManifest(manifest, where + " manifest.json"), reference, where);
    String configName = FsPath.normalize(image.config());
    BlobRegion configBlob = required(tar, members, configName, where);
    byte[] configBytes = configBlob.readAll(ManifestJson.MAX_BYTES);
    digestOf(configName)
        .ifPresent(
            d -> LayerReader.expect(configName, "digest", Optional.of(d), Digests.of(configBytes)));
    ObjectNode config = json.config(configBytes, where + " " + configName);
    List<String> diffIds = json.diffIds(config, where + " " + configName);
    if (diffIds.size() != image.layers().size()) {
      throw new ImageFormatException(
          where
              + ": manifest.json names "
              + image.layers().size()
              + " layers, the config "
              + diffIds.size());
    }
    List<LayerTar> tars = new ArrayList<>();
    for (int i = 0; i < image.layers().size(); i++) {
      String name = FsPath.normalize(image.layers().get(i));
      tars.add(
          layers.read(
              required(tar, members, name, where), digestOf(name), Optional.of(diffIds.get(i))));
    }
    return new LayeredImage(
        reference, configBytes, config, tars, List.<java.io.Closeable>of(tar, layers));
  }

  private static ManifestJson.ArchiveImage choose(
      List<ManifestJson.ArchiveImage> images, ImageReference reference, String where) {
    if (reference.name().isPresent()) {
      String want = withTag(reference.name().get());
      return images.stream()
          .filter(i -> i.repoTags().stream().anyMatch(t -> withTag(t).equals(want)))
          .findFirst()
          .orElseThrow(() -> new ImageFormatException(where + " has no image tagged " + want));
    }
    if (images.size() != 1) {
      throw new ImageFormatException(
          where
              + " holds "
              + images.size()
              + " images: name one as "
              + where
              + ":NAME:TAG (tags: "
              + images.stream().flatMap(i -> i.repoTags().stream()).toList()
              + ")");
    }
    return images.get(0);
  }

  private static String withTag(String ref) {
    String r = ref.startsWith("docker.io/library/") ? ref.substring(18) : ref;
    String last = r.substring(r.lastIndexOf('/') + 1);
    return last.contains(":") || last.contains("@") ? r : r + ":latest";
  }

  private static Optional<String> digestOf(String member) {
    Matcher m = BLOB.matcher(member);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of("sha256:" + (m.group(1) != null ? m.group(1) : m.group(2)));
  }

  private static BlobRegion required(
      TarFile tar, Map<String, TarFile.Member> members, String name, String where)
      throws TarFormatException {
    return member(tar, members, name, where)
        .orElseThrow(
            () ->
                new ImageFormatException(
                    where
                        + ": manifest.json names blob "
                        + name.substring(1)
                        + ", which the archive does not have"));
  }

  /** Where a symlinked member points inside the archive; one pointing out of it is an error. */
  private static String linkTarget(TarEntry e, String where) {
    try {
      if (e.link().startsWith("/")) {
        throw new TarFormatException("absolute target");
      }
      return dev.skinnywhale.tar.TarNames.normalize(e.parent().substring(1) + "/" + e.link());
    } catch (TarFormatException x) {
      throw new ImageFormatException(
          where
              + ": member "
              + e.path().substring(1)
              + " is a symlink to "
              + e.link()
              + ", outside the archive");
    }
  }

  /** A regular member by normalised name, symlinks followed inside the archive. */
  private static Optional<BlobRegion> member(
      TarFile tar, Map<String, TarFile.Member> members, String name, String where)
      throws TarFormatException {
    String path = name;
    for (int hop = 0; hop <= MAX_HOPS; hop++) {
      TarFile.Member m = members.get(path);
      if (m == null) {
        return Optional.empty();
      }
      TarEntry e = m.entry();
      switch (e.type()) {
        case FILE -> {
          return Optional.of(new BlobRegion(name.substring(1), tar, m.offset(), e.size()));
        }
        case SYMLINK -> path = linkTarget(e, where);
        case HARD_LINK -> path = e.link();
        default -> {
          throw new ImageFormatException(where + ": " + name.substring(1) + " is not a file");
        }
      }
    }
    throw new ImageFormatException(where + ": too many links at " + name.substring(1));
  }
}
