package dev.skinnywhale.image;

import static dev.skinnywhale.image.TestImages.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageWritersTest {
  @TempDir Path tmp;

  private final ManifestJson json = TestImages.MANIFESTS;
  private final OciImages oci = new OciImages(json, "linux/amd64");
  private final byte[] tar =
      layer()
          .dir("/app")
          .file("/app/run", "#!/bin/sh\necho hi\n")
          .symlink("/app/link", "run")
          .bytes();

  private BuiltImage built(Compression c) throws Exception {
    Layer l = Layer.write(tmp, out -> out.write(tar));
    ObjectNode source = ImageConfigsTest.source();
    return BuiltImage.of(json, ImageConfigs.forSlimImage(source, l.diffId(), "t"), l, c, tmp);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void build_sameInputTwice_sameManifestDigestAndBytes(Compression c) throws Exception {
    try (BuiltImage a = built(c);
        BuiltImage b = built(c)) {
      assertEquals(a.manifestDigest(), b.manifestDigest());
      assertArrayEquals(Files.readAllBytes(a.layerFile()), Files.readAllBytes(b.layerFile()));
      assertEquals(c.ociMediaType(), a.layer().mediaType());
      assertArrayEquals(archive(a, true), archive(b, true));
    }
  }

  private byte[] archive(BuiltImage image, boolean docker) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ImageArchiveWriter(json).write(out, image, "slim:1", docker);
    return out.toByteArray();
  }

  private TreeMap<String, String> read(ImageReference ref, Path path) throws Exception {
    LayerReader layers = new LayerReader(tmp, 1 << 30);
    try (LayeredImage image =
            ref.transport() == Transport.OCI
                ? new OciLayoutReader(oci).read(ref, path, layers)
                : new ImageArchiveReader(json, oci).read(ref, path, layers);
        RootFs fs = image.filesystem()) {
      TreeMap<String, String> out = new TreeMap<>();
      fs.nodes().forEach(n -> out.put(n.path(), LayerFlattenerTest.describe(fs, n)));
      return out;
    }
  }

  @Test
  void hybridArchive_readsAsDockerArchiveAndAsOciArchive() throws Exception {
    try (BuiltImage image = built(Compression.GZIP)) {
      Path file = tmp.resolve("slim.tar");
      try (OutputStream out = Files.newOutputStream(file)) {
        new ImageArchiveWriter(json).write(out, image, "slim:1", true);
      }
      TreeMap<String, String> docker =
          read(ImageReference.parseInput("docker-archive:" + file + ":slim:1"), file);
      TreeMap<String, String> ociView =
          read(ImageReference.parseInput("oci-archive:" + file + ":slim:1"), file);
      assertEquals(docker, ociView);
      assertEquals("symlink run", docker.get("/app/link"));
    }
  }

  @Test
  void ociLayout_newThenAddedTo_keepsBothImages() throws Exception {
    Path dir = tmp.resolve("layout");
    try (BuiltImage image = built(Compression.ZSTD)) {
      new OciLayoutWriter(json).write(image, dir, "a:1", Files.createTempDirectory(tmp, "s"));
      new OciLayoutWriter(json).write(image, dir, "b:1", Files.createTempDirectory(tmp, "s"));
      new OciLayoutWriter(json).write(image, dir, "b:1", Files.createTempDirectory(tmp, "s"));
    }
    List<Descriptor> index = json.index(Files.readAllBytes(dir.resolve("index.json")), "index");
    assertEquals(2, index.size(), index.toString());
    assertEquals(
        read(ImageReference.parseInput("oci:" + dir + ":a:1"), dir),
        read(ImageReference.parseInput("oci:" + dir + ":b:1"), dir));
    assertTrue(Files.isRegularFile(dir.resolve("oci-layout")));
  }

  @Test
  void reference_parsesTransports() {
    assertEquals(
        new ImageReference(Transport.OCI, "dir", java.util.Optional.of("name:1")),
        ImageReference.parseInput("oci:dir:name:1"));
    assertEquals(Transport.DOCKER_DAEMON, ImageReference.parseInput("app:1").transport());
    assertEquals(Transport.DOCKER_ARCHIVE, ImageReference.parseOutput("out.tar").transport());
    assertEquals(
        "127.0.0.1:5000/app:1",
        ImageReference.parseOutput("docker://127.0.0.1:5000/app:1").location());
    assertEquals("app", ImageReference.parseInput("docker-daemon:app").location());
  }
}
