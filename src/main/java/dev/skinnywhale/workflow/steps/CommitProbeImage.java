package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;

/**
 * The image the probe containers are made from: a container is committed to a temporary image
 * (labelled, removed when the run ends; the container itself is not changed); an image is used as
 * it is.
 */
public record CommitProbeImage(Run run) {

  public String imageFor(Source source) {
    if (source.kind() == Source.Kind.IMAGE) {
      return source.imageId();
    }
    return run.steps()
        .run(
            "commit",
            "preparing the probe image",
            () -> {
              String image = run.engine().commit(source.id(), run.labels("probe-image"));
              run.cleanup().add("temporary image " + image, () -> run.engine().removeImage(image));
              return image;
            });
  }
}
