package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import java.util.List;
import java.util.Objects;

/**
 * A path a package database lists, found in the image.
 *
 * @param listed the path as the database lists it ({@code /lib/x86_64-linux-gnu/libc.so.6})
 * @param path where it is in the image: diversions applied and the symlinked directories on the way
 *     followed ({@code /usr/lib/x86_64-linux-gnu/libc.so.6} on a usr-merged system)
 * @param hops the symlinks passed on the way ({@code /lib})
 * @param node the node at {@code path} (not followed if it is a symlink)
 * @param directory whether the package has a directory here: the node is one, or it is a symlink to
 *     one below which the package lists paths ({@code /lib} on a usr-merged system, which packages
 *     still list as the directory they shipped)
 */
public record OwnedPath(
    String listed, String path, List<String> hops, FsNode node, boolean directory) {
  public OwnedPath {
    Objects.requireNonNull(listed, "listed");
    Objects.requireNonNull(path, "path");
    hops = List.copyOf(hops);
    Objects.requireNonNull(node, "node");
  }

  public boolean isDirectory() {
    return directory;
  }
}
