package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.image.Digests;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds what to slim: in the engine (checking first that it answers) a container or an image; an
 * image of an archive, OCI layout or registry is opened without any engine. Checks that --base goes
 * with it.
 */
public record FindSource(Run run) {
  public Source find(String target, Optional<String> base) throws IOException {
    ImageReference ref = ImageReference.parseInput(target);
    if (ref.transport() != Transport.DOCKER_DAEMON) {
      return run.steps().run("read", "reading " + ref, () -> fromImage(target, ref));
    }
    run.steps()
        .run(
            "inspect",
            "connecting to the Docker engine",
            () -> {
              run.engine().ping();
              return null;
            });
    Source source =
        run.steps()
            .run(
                "inspect",
                "looking up " + ref.location(),
                () -> new SourceReader(run).find(ref.location()));
    if (base.isPresent() && source.kind() == Source.Kind.CONTAINER) {
      throw new UnusableInputException(
          "--base applies to images; the change set of container "
              + target
              + " is taken against its own image");
    }
    return source;
  }

  private Source fromImage(String target, ImageReference ref) throws IOException {
    LayeredImage image = run.images().open(ref);
    String id = image.id();
    return new Source(
        Source.Kind.IMAGE,
        id,
        Digests.shortHex(id),
        target,
        id,
        image.config(),
        image.size(),
        ref.transport());
  }
}
