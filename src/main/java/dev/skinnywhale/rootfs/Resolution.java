package dev.skinnywhale.rootfs;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of resolving a path inside a {@link RootFs}.
 *
 * @param requested the normalised path that was asked for
 * @param finalPath the path reached after following every symlink (the path itself when it has
 *     none); when resolution failed, the furthest real path reached
 * @param node the node at {@code finalPath}, empty when the path does not exist, a link dangles, or
 *     a loop was found
 * @param hops every symlink passed on the way, in order (each must be kept for the path to work)
 * @param failure why resolution failed, empty when it did not
 */
public record Resolution(
    String requested,
    String finalPath,
    Optional<FsNode> node,
    List<String> hops,
    Optional<String> failure) {

  public Resolution {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(finalPath, "finalPath");
    Objects.requireNonNull(node, "node");
    hops = List.copyOf(hops);
    Objects.requireNonNull(failure, "failure");
  }

  public boolean found() {
    return node.isPresent();
  }
}
