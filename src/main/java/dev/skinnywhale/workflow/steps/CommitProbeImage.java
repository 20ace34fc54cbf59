package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.image.DockerArchiveWriter;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image the probe containers are made from: a container is committed to a temporary image
 * (labelled, removed when the run ends; the container itself is not changed); an image of the
 * engine is used as it is; an image from a file or registry is loaded into the engine untagged and
 * removed when the run ends — unless the engine already had it, which is then used and kept.
 */
public record CommitProbeImage(Run run) {

  public String imageFor(Source source) throws IOException {
    if (!source.inEngine()) {
      return run.steps()
          .run(
              "load",
              "loading " + source.reference() + " into the engine for the probes",
              () -> loadTemporarily(source));
    }
    if (source.kind() == Source.Kind.IMAGE) {
      return source.imageId();
    }
    return run.steps().run("commit", COMMIT_MESSAGE, () -> commit(source));
  }

  /** What the commit step says when it starts. */
  static final String COMMIT_MESSAGE = "preparing the probe image";

  /**
   * Commits a container to a temporary image, its removal registered the moment it exists; says
   * nothing and times nothing (so it can run beside another step).
   */
  String commit(Source source) {
    String image = run.engine().commit(source.id(), run.labels("probe-image"));
    run.cleanup().add("temporary image " + image, () -> run.engine().removeImage(image));
    return image;
  }

  private String loadTemporarily(Source source) throws IOException {
    String id = source.imageId();
    if (run.engine().findImage(id).isPresent()) {
      run.reporter().debug("the engine already has " + id + ": using it as it is");
      return id;
    }
    LayeredImage image = run.images().open(ImageReference.parseInput(source.reference()));
    load(run, image.configBytes(), image, id);
    return id;
  }

  /** Loads an image untagged, removing it when the run ends. */
  static void load(Run run, byte[] configBytes, LayeredImage image, String id) throws IOException {
    Path archive = Files.createTempFile(run.tempDir(), "skinnywhale-load-", ".tar");
    Runnable deleteArchive =
        run.cleanup().add("archive " + archive, () -> Files.deleteIfExists(archive));
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16)) {
        new DockerArchiveWriter(run.images().json().mapper())
            .write(out, configBytes, image.layers());
      }
      run.cleanup().add("temporary image " + id, () -> run.engine().removeImage(id));
      try (InputStream in = Files.newInputStream(archive)) {
        run.engine().load(in);
      }
    } finally {
      deleteArchive.run();
    }
  }
}
