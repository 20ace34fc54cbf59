package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What the one archive a {@link FakeEngine} was given to load holds: its layer and its config. */
final class LoadedArchive {
  private LoadedArchive() {}

  /** The paths of the layer. */
  static Set<String> layerPaths(FakeEngine engine, Path tmp) throws Exception {
    try (RootFs archive = archive(engine, tmp)) {
      FsNode.RegularFile layer = file(archive, "/layer.tar");
      try (InputStream in = layer.content().open();
          RootFs fs = new TarRootFsReader().read(in, tmp)) {
        return fs.nodes().map(FsNode::path).collect(Collectors.toCollection(TreeSet::new));
      }
    }
  }

  /** The image config (the one .json file that is not the manifest). */
  static JsonNode config(FakeEngine engine, Path tmp) throws Exception {
    try (RootFs archive = archive(engine, tmp)) {
      FsNode.RegularFile config =
          archive
              .nodes()
              .filter(n -> n.path().endsWith(".json") && !n.path().endsWith("/manifest.json"))
              .map(n -> (FsNode.RegularFile) n)
              .findFirst()
              .orElseThrow();
      try (InputStream in = config.content().open()) {
        return FakeEngine.JSON.readTree(in);
      }
    }
  }

  private static RootFs archive(FakeEngine engine, Path tmp) throws Exception {
    assertEquals(1, engine.loaded.size());
    return new TarRootFsReader().read(new ByteArrayInputStream(engine.loaded.get(0)), tmp);
  }

  private static FsNode.RegularFile file(RootFs archive, String suffix) {
    return archive
        .nodes()
        .filter(n -> n.path().endsWith(suffix))
        .map(n -> (FsNode.RegularFile) n)
        .findFirst()
        .orElseThrow();
  }
}
