package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;

/**
 * Reads the source's whole filesystem: exported from the engine, or an image's layers flattened
 * (never extracted). The caller closes it (that deletes an export's spool file).
 */
public record ReadFilesystem(Run run) {
  public RootFs read(Source source) throws IOException {
    if (!source.inEngine()) {
      return run.steps()
          .run(
              "read",
              "flattening the layers of " + source.reference(),
              () -> {
                RootFs fs =
                    run.images().open(ImageReference.parseInput(source.reference())).filesystem();
                SourceReader.requireUsable(fs, source.reference());
                return fs;
              });
    }
    return run.steps()
        .run(
            "export",
            "reading the filesystem of " + source.reference(),
            () -> new SourceReader(run).filesystem(source, run.cleanup()));
  }
}
