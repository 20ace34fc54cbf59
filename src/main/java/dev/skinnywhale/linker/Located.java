package dev.skinnywhale.linker;

import dev.skinnywhale.rootfs.FsNode;
import java.util.List;
import java.util.Optional;

/**
 * A path looked up in the image: as searched, as found after symlinks, the hops on the way, and the
 * regular file there (empty, with the reason, when there is none).
 */
record Located(
    String path,
    String finalPath,
    List<String> hops,
    Optional<FsNode> node,
    Optional<String> failure) {
  Located {
    hops = List.copyOf(hops);
  }

  boolean found() {
    return node.isPresent();
  }

  Dependency toDependency(String name, String neededBy, DependencyKind kind) {
    return new Dependency(name, neededBy, kind, path, finalPath, hops);
  }
}
