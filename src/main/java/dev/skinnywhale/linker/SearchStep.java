package dev.skinnywhale.linker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One place a loader looks for a name: a directory, or the ld.so.cache ({@code dir} empty). */
record SearchStep(Kind kind, String dir) {

  /** Why a place is searched, as the "not found" message names it. */
  enum Kind {
    RPATH("RPATH"),
    LD_LIBRARY_PATH("LD_LIBRARY_PATH"),
    RUNPATH("RUNPATH"),
    CACHE("ld.so.cache"),
    CACHE_NODEFLIB("ld.so.cache"),
    CONF("ld.so.conf"),
    SYSTEM("default dirs");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Steps of one kind, one a directory. */
  static void addAll(List<SearchStep> steps, Kind kind, List<String> dirs) {
    dirs.forEach(d -> steps.add(new SearchStep(kind, d)));
  }

  /** Where a search looked, for a message: "RPATH /a:/b, ld.so.cache, default dirs /lib". */
  static String describe(List<SearchStep> steps) {
    if (steps.isEmpty()) {
      return "nowhere";
    }
    Map<Kind, List<String>> byKind = new LinkedHashMap<>();
    for (SearchStep s : steps) {
      byKind.computeIfAbsent(s.kind, k -> new ArrayList<>()).add(s.dir);
    }
    List<String> parts = new ArrayList<>();
    byKind.forEach(
        (k, dirs) ->
            parts.add(
                switch (k) {
                  case CACHE -> "ld.so.cache";
                  case CACHE_NODEFLIB -> "ld.so.cache (NODEFLIB)";
                  default -> k.label + " " + String.join(":", dirs);
                }));
    return String.join(", ", parts);
  }
}
