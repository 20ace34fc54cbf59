package dev.skinnywhale.profile;

import java.util.regex.Pattern;

/**
 * A symbol marker of a profile: the name of a dynamic symbol ({@code iconv_open}), where {@code *}
 * matches any run of characters ({@code gethostbyname*}). At most {@value #MAX_LENGTH} characters
 * of {@code [A-Za-z0-9_.$@*]}.
 */
public final class SymbolPattern {
  public static final int MAX_LENGTH = 200;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_.$@*]+");

  private SymbolPattern() {}

  /**
   * Checks a symbol marker.
   *
   * @throws IllegalArgumentException when it is empty, too long or has other characters
   */
  public static void check(String pattern) {
    if (pattern.length() > MAX_LENGTH || !SHAPE.matcher(pattern).matches()) {
      throw new IllegalArgumentException(
          "bad symbol \""
              + pattern
              + "\" (letters, digits, '_', '.', '$', '@' and '*'; at most "
              + MAX_LENGTH
              + ")");
    }
  }

  /** Whether {@code name} matches {@code pattern} ('*' any run, everything else literally). */
  public static boolean matches(String pattern, String name) {
    return matches(pattern, 0, name, 0);
  }

  private static boolean matches(String p, int pi, String n, int ni) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        while (pi < p.length() && p.charAt(pi) == '*') {
          pi++;
        }
        if (pi == p.length()) {
          return true;
        }
        for (int k = ni; k <= n.length(); k++) {
          if (matches(p, pi, n, k)) {
            return true;
          }
        }
        return false;
      }
      if (ni >= n.length() || n.charAt(ni) != c) {
        return false;
      }
      pi++;
      ni++;
    }
    return ni == n.length();
  }
}
