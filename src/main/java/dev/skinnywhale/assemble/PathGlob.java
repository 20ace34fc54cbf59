package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsPath;
import java.util.Objects;

/**
 * A shell-like glob over absolute image paths.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters within one component (not "/"), {@code ?} one such
 *       character;
 *   <li>{@code **} matches across components; {@code /**}{@code /} also matches a single "/", so
 *       {@code /usr/**}{@code /lib} matches {@code /usr/lib};
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!abc]} or {@code [^abc]} match one character of (not
 *       of) the class, never "/"; an unclosed "[" is a literal;
 *   <li>{@code \} makes the next character literal;
 *   <li>a leading "." is not special (unlike the shell, {@code *} matches hidden names);
 *   <li>a pattern that matches a directory also matches everything below it: {@code /usr/share/doc}
 *       matches {@code /usr/share/doc/bash/copyright}, and {@code /var/cache/*} matches everything
 *       under {@code /var/cache} but not {@code /var/cache} itself.
 * </ul>
 *
 * A trailing "/" of the pattern is ignored. Paths are compared as given (normalised absolute).
 */
public record PathGlob(String pattern) {
  public PathGlob {
    Objects.requireNonNull(pattern, "pattern");
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path glob must be absolute: " + pattern);
    }
    if (pattern.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a path glob must not contain NUL");
    }
    while (pattern.length() > 1 && pattern.endsWith("/") && !pattern.endsWith("\\/")) {
      pattern = pattern.substring(0, pattern.length() - 1);
    }
  }

  /** Whether the path, or one of its ancestors, matches the pattern. */
  public boolean matches(String path) {
    String p = path;
    while (true) {
      if (match(pattern, 0, p, 0)) {
        return true;
      }
      var parent = FsPath.parent(p);
      if (parent.isEmpty() || p.isEmpty()) {
        return false;
      }
      p = parent.get();
    }
  }

  private static boolean match(String pat, int pi, String s, int si) {
    while (pi < pat.length()) {
      char c = pat.charAt(pi);
      if (c == '*') {
        if (pi + 1 < pat.length() && pat.charAt(pi + 1) == '*') {
          int next = pi + 2;
          while (next < pat.length() && pat.charAt(next) == '*') {
            next++;
          }
          // "/**/" may stand for a single "/": skip "**/" after a "/".
          if (next < pat.length()
              && pat.charAt(next) == '/'
              && pi > 0
              && pat.charAt(pi - 1) == '/'
              && match(pat, next + 1, s, si)) {
            return true;
          }
          for (int k = si; k <= s.length(); k++) {
            if (match(pat, next, s, k)) {
              return true;
            }
          }
          return false;
        }
        for (int k = si; ; k++) {
          if (match(pat, pi + 1, s, k)) {
            return true;
          }
          if (k >= s.length() || s.charAt(k) == '/') {
            return false;
          }
        }
      }
      if (si >= s.length()) {
        return false;
      }
      char sc = s.charAt(si);
      if (c == '?') {
        if (sc == '/') {
          return false;
        }
      } else if (c == '[' && classEnd(pat, pi) > 0) {
        int end = classEnd(pat, pi);
        if (sc == '/' || !inClass(pat, pi + 1, end, sc)) {
          return false;
        }
        pi = end;
      } else if (c == '\\' && pi + 1 < pat.length()) {
        pi++;
        if (pat.charAt(pi) != sc) {
          return false;
        }
      } else if (c != sc) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }

  /** Index of the "]" closing the class opened at {@code open}, or -1. */
  private static int classEnd(String pat, int open) {
    int i = open + 1;
    if (i < pat.length() && (pat.charAt(i) == '!' || pat.charAt(i) == '^')) {
      i++;
    }
    if (i < pat.length() && pat.charAt(i) == ']') {
      i++; // a leading "]" is a member
    }
    for (; i < pat.length(); i++) {
      if (pat.charAt(i) == ']') {
        return i;
      }
    }
    return -1;
  }

  private static boolean inClass(String pat, int from, int end, char c) {
    boolean negate = pat.charAt(from) == '!' || pat.charAt(from) == '^';
    int i = negate ? from + 1 : from;
    boolean found = false;
    boolean first = true;
    while (i < end) {
      char lo = pat.charAt(i);
      if (lo == ']' && !first) {
        break;
      }
      first = false;
      if (i + 2 < end && pat.charAt(i + 1) == '-') {
        char hi = pat.charAt(i + 2);
        if (lo <= c && c <= hi) {
          found = true;
        }
        i += 3;
      } else {
        if (lo == c) {
          found = true;
        }
        i++;
      }
    }
    return found != negate;
  }
}
