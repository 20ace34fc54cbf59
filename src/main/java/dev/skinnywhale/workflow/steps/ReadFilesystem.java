package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;

/** Reads the source's whole filesystem. The caller closes it (that deletes its spool file). */
public record ReadFilesystem(Run run) {
  public RootFs read(Source source) throws IOException {
    return run.steps()
        .run(
            "export",
            "reading the filesystem of " + source.reference(),
            () -> new SourceReader(run).filesystem(source, run.cleanup()));
  }
}
