package dev.skinnywhale.tracelog;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The paths a traced run touched, each with how, whether it worked and which process did it; plus
 * how often each syscall the interpreter does not know appeared. Paths are absolute and lexically
 * normalised, decoded one char per byte (ISO-8859-1) like every path in skinnywhale.
 */
public record AccessSet(
    SortedMap<String, Set<Access>> byPath, SortedMap<String, Long> unknownSyscalls) {

  /** Iteration order of the access sets: kind, then failures first, then pid. */
  static final Comparator<Access> ORDER =
      Comparator.comparing(Access::kind)
          .thenComparing(Access::success)
          .thenComparingInt(Access::pid);

  public AccessSet {
    Objects.requireNonNull(byPath, "byPath");
    Objects.requireNonNull(unknownSyscalls, "unknownSyscalls");
    TreeMap<String, Set<Access>> paths = new TreeMap<>();
    for (Map.Entry<String, Set<Access>> e : byPath.entrySet()) {
      TreeSet<Access> accesses = new TreeSet<>(ORDER);
      accesses.addAll(Objects.requireNonNull(e.getValue(), "accesses of " + e.getKey()));
      paths.put(
          Objects.requireNonNull(e.getKey(), "path"), Collections.unmodifiableSortedSet(accesses));
    }
    byPath = Collections.unmodifiableSortedMap(paths);
    TreeMap<String, Long> unknown = new TreeMap<>();
    for (Map.Entry<String, Long> e : unknownSyscalls.entrySet()) {
      unknown.put(Objects.requireNonNull(e.getKey()), Objects.requireNonNull(e.getValue()));
    }
    unknownSyscalls = Collections.unmodifiableSortedMap(unknown);
  }

  /** The set with no paths. */
  public static AccessSet empty() {
    return new AccessSet(new TreeMap<>(), new TreeMap<>());
  }

  /** All paths, whatever the outcome. */
  public SortedSet<String> paths() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byPath.keySet()));
  }

  /** Paths with at least one successful access. */
  public SortedSet<String> successfulPaths() {
    TreeSet<String> out = new TreeSet<>();
    byPath.forEach(
        (path, accesses) -> {
          if (accesses.stream().anyMatch(Access::success)) {
            out.add(path);
          }
        });
    return Collections.unmodifiableSortedSet(out);
  }

  /**
   * Paths successfully opened for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_TMPFILE, creat) or
   * successfully made ({@link AccessKind#CREATE}: mkdir, mknod, the new name of a link, symlink or
   * rename): created or written during the run, so possibly not part of the image.
   */
  public SortedSet<String> createdPaths() {
    TreeSet<String> out = new TreeSet<>();
    byPath.forEach(
        (path, accesses) -> {
          if (accesses.stream()
              .anyMatch(
                  a ->
                      a.success()
                          && (a.kind() == AccessKind.OPEN_WRITE
                              || a.kind() == AccessKind.CREATE))) {
            out.add(path);
          }
        });
    return Collections.unmodifiableSortedSet(out);
  }

  /** The union of both sets; unknown syscall counts are added. Neither input changes. */
  public AccessSet merge(AccessSet other) {
    TreeMap<String, Set<Access>> paths = new TreeMap<>();
    for (AccessSet s : new AccessSet[] {this, other}) {
      s.byPath.forEach(
          (path, accesses) ->
              paths.computeIfAbsent(path, p -> new TreeSet<>(ORDER)).addAll(accesses));
    }
    TreeMap<String, Long> unknown = new TreeMap<>(unknownSyscalls);
    other.unknownSyscalls.forEach((name, count) -> unknown.merge(name, count, Long::sum));
    return new AccessSet(paths, unknown);
  }
}
