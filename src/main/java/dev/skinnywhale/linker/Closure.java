package dev.skinnywhale.linker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The files a set of programs needs to start, each with the edge that brought it in.
 *
 * @param dependencies every resolved edge, in breadth-first order, without duplicates
 * @param unresolved what no search found
 * @param broken files that could not be read as what they claimed to be
 */
public record Closure(
    List<Dependency> dependencies, List<Unresolved> unresolved, List<BrokenFile> broken) {
  public Closure {
    dependencies = List.copyOf(dependencies);
    unresolved = List.copyOf(unresolved);
    broken = List.copyOf(broken);
  }

  /** Every final path, every symlink hop, and the searched path where it differs. */
  public SortedSet<String> pathsToKeep() {
    TreeSet<String> out = new TreeSet<>();
    for (Dependency d : dependencies) {
      out.add(d.finalPath());
      out.add(d.path());
      out.addAll(d.hops());
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /**
   * The first dependency of each (neededBy, name, kind): what the loader takes on a CPU that
   * supports every glibc-hwcaps level. The others are hwcaps alternatives of it.
   */
  public List<Dependency> primary() {
    Set<List<Object>> seen = new HashSet<>();
    List<Dependency> out = new ArrayList<>();
    for (Dependency d : dependencies) {
      if (seen.add(List.of(d.neededBy(), d.name(), d.kind()))) {
        out.add(d);
      }
    }
    return out;
  }
}
