package dev.skinnywhale.linker;

import java.util.List;
import java.util.Objects;

/**
 * One resolved edge of a closure.
 *
 * <p>When a search finds glibc-hwcaps variants ({@code glibc-hwcaps/x86-64-v3/libfoo.so}) the
 * loader picks one by the CPU, which we cannot know: every variant found before the plain library
 * is a dependency of its own, in search order. The first dependency for a (neededBy, name, kind) is
 * what a loader on the most capable CPU would take; {@link Closure#primary()} lists only those.
 *
 * @param name the DT_NEEDED name, or the interpreter path as written
 * @param neededBy the real path of the requester
 * @param kind why it is needed
 * @param path the path the search found, e.g. /lib/x86_64-linux-gnu/libc.so.6
 * @param finalPath the path after following symlinks
 * @param hops the symlinks passed on the way, in order
 */
public record Dependency(
    String name,
    String neededBy,
    DependencyKind kind,
    String path,
    String finalPath,
    List<String> hops) {
  public Dependency {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(neededBy, "neededBy");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(finalPath, "finalPath");
    hops = List.copyOf(hops);
  }
}
