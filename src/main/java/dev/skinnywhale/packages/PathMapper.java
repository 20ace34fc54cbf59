package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a path a package database lists is in the image. Packages list paths as they shipped them:
 * on a usr-merged system {@code /lib/x86_64-linux-gnu/libc.so.6} lives at {@code
 * /usr/lib/x86_64-linux-gnu/libc.so.6} through the {@code /lib -> usr/lib} symlink. The parent
 * directory is resolved as the kernel would (symlinks followed, confined to the root); the last
 * component is not followed, since a package may own a symlink. Parents are memoised.
 */
final class PathMapper {
  private final RootFs fs;
  private final Map<String, Resolution> parents = new HashMap<>();

  PathMapper(RootFs fs) {
    this.fs = fs;
  }

  /** The listed path in the image, empty when it is not there. */
  Optional<OwnedPath> map(String listed) {
    String path = FsPath.normalize(listed);
    if (path.equals(FsPath.ROOT)) {
      return fs.get(FsPath.ROOT)
          .map(n -> new OwnedPath(listed, FsPath.ROOT, java.util.List.of(), n, true));
    }
    String parent = FsPath.parent(path).orElseThrow();
    Resolution dir = parents.computeIfAbsent(parent, fs::resolve);
    if (!dir.found() || !(dir.node().orElseThrow() instanceof FsNode.Directory)) {
      return Optional.empty();
    }
    String real = FsPath.resolve(dir.finalPath(), FsPath.name(path));
    return fs.get(real)
        .map(
            node ->
                new OwnedPath(listed, real, dir.hops(), node, node instanceof FsNode.Directory));
  }
}
