package dev.skinnywhale.tracelog;

import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Collects accesses while one log is read; local to a parse call, frozen by {@link #build()}. */
final class AccessSetBuilder {
  private final TreeMap<String, Set<Access>> byPath = new TreeMap<>();
  private final TreeMap<String, Long> unknown = new TreeMap<>();

  void add(String path, AccessKind kind, boolean success, int pid) {
    byPath
        .computeIfAbsent(path, p -> new TreeSet<>(AccessSet.ORDER))
        .add(new Access(kind, success, pid));
  }

  void countUnknown(String syscall) {
    unknown.merge(syscall, 1L, Long::sum);
  }

  AccessSet build() {
    return new AccessSet(byPath, unknown);
  }
}
