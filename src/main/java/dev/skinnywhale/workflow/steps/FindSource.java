package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.Optional;

/** Checks that the engine answers, finds the container or image, and checks --base goes with it. */
public record FindSource(Run run) {
  public Source find(String target, Optional<String> base) {
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
            .run("inspect", "looking up " + target, () -> new SourceReader(run).find(target));
    if (base.isPresent() && source.kind() == Source.Kind.CONTAINER) {
      throw new UnusableInputException(
          "--base applies to images; the change set of container "
              + target
              + " is taken against its own image");
    }
    return source;
  }
}
