package dev.skinnywhale.packages;

import java.util.ArrayList;
import java.util.List;

/** Relation fields (Depends, Pre-Depends, Provides) reduced to package names. */
final class Relations {
  private Relations() {}

  /**
   * {@code "libc6 (>= 2.34), libfoo | libbar:any"} → {@code [[libc6], [libfoo, libbar]]}: versions,
   * architecture qualifiers and restriction lists dropped.
   */
  static List<List<String>> parse(String value) {
    List<List<String>> out = new ArrayList<>();
    if (value.isBlank()) {
      return out;
    }
    for (String relation : value.split(",")) {
      List<String> alternatives = new ArrayList<>();
      for (String alternative : relation.split("\\|")) {
        String name = name(alternative);
        if (!name.isEmpty()) {
          alternatives.add(name);
        }
      }
      if (!alternatives.isEmpty()) {
        out.add(alternatives);
      }
    }
    return out;
  }

  /** Provides: one name per relation. */
  static List<String> names(String value) {
    List<String> out = new ArrayList<>();
    parse(value).forEach(out::addAll);
    return out;
  }

  private static String name(String alternative) {
    String s = alternative.strip();
    int end = 0;
    while (end < s.length() && " \t(<[:".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    return s.substring(0, end);
  }
}
