package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the user added: a container's change set versus its image; for an image, everything (but the
 * engine's placeholders), or with --base what is new or different from that image.
 */
public record TakeChangeSet(Run run) {
  public SortedSet<String> take(Source source, RootFs fs, Optional<String> base)
      throws IOException {
    return run.steps().run("changes", "taking the change set", () -> changes(source, fs, base));
  }

  private SortedSet<String> changes(Source source, RootFs fs, Optional<String> base)
      throws IOException {
    if (source.kind() == Source.Kind.CONTAINER) {
      return new SourceReader(run).containerChanges(source, fs);
    }
    if (base.isEmpty()) {
      SortedSet<String> all = new TreeSet<>();
      fs.nodes()
          .filter(n -> !SourceReader.ENGINE_PLACEHOLDERS.contains(n.path()))
          .forEach(n -> all.add(n.path()));
      return all;
    }
    var baseRef = dev.skinnywhale.image.ImageReference.parseInput(base.get());
    if (baseRef.transport() != dev.skinnywhale.image.Transport.DOCKER_DAEMON) {
      RootFs baseFs = run.images().open(baseRef).filesystem();
      return SourceReader.difference(fs, baseFs);
    }
    SourceReader reader = new SourceReader(run);
    var image = reader.findImage(baseRef.location());
    try (RootFs baseFs = reader.imageFilesystem(image.id(), baseRef.location(), run.cleanup())) {
      return SourceReader.difference(fs, baseFs);
    }
  }
}
