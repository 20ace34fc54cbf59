package dev.skinnywhale.linker;

import java.util.List;

/**
 * What searching one name found: the files in search order (glibc-hwcaps variants first, the plain
 * library last), the candidates passed over and why, and the broken files met on the way.
 */
record Search(List<Located> found, List<String> skipped, List<BrokenFile> broken) {
  Search {
    found = List.copyOf(found);
    skipped = List.copyOf(skipped);
    broken = List.copyOf(broken);
  }

  static Search none(String why) {
    return new Search(List.of(), List.of(why), List.of());
  }

  static Search of(Located l) {
    return new Search(List.of(l), List.of(), List.of());
  }

  String reason() {
    return skipped.isEmpty() ? "not found" : "not found; " + String.join("; ", skipped);
  }
}
