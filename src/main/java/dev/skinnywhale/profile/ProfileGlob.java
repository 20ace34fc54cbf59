package dev.skinnywhale.profile;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A path pattern of a profile (a {@code glob} entry or a marker): '*' and '?' stay within one path
 * component, '**' crosses components ({@code /a/**}{@code /b} also matches {@code /a/b}). A pattern
 * that starts with '**' is anchored anywhere. A path matches when it, or one of its ancestors,
 * matches the pattern: a matching directory brings what is below it.
 *
 * <p>Kept inside {@code profile} rather than reusing {@code assemble.PathGlob} so that the profile
 * schema (what a shipped profile means) does not depend on the assembler; the semantics are the
 * same.
 */
public final class ProfileGlob {
  private final String pattern;
  private final Pattern regex;

  public ProfileGlob(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    check(pattern);
    this.pattern = pattern;
    this.regex = compile(pattern);
  }

  public String pattern() {
    return pattern;
  }

  /**
   * Checks a pattern: it starts with '/' or '**', has no empty, "." or ".." component and is not
   * the root alone.
   *
   * @throws IllegalArgumentException naming the pattern and what is wrong
   */
  public static void check(String pattern) {
    if (!pattern.startsWith("/") && !pattern.startsWith("**")) {
      throw new IllegalArgumentException(
          "pattern must start with '/' or '**': \"" + pattern + "\"");
    }
    String body = pattern.startsWith("/") ? pattern.substring(1) : pattern;
    if (body.isEmpty() || body.equals("**")) {
      throw new IllegalArgumentException("pattern \"" + pattern + "\" would keep everything");
    }
    for (String part : body.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "pattern has an empty, \".\" or \"..\" component: \"" + pattern + "\"");
      }
    }
  }

  /** Whether the pattern has no wildcard: it names one path (and what is below it). */
  public boolean isLiteral() {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  /**
   * The leading components before the first one with a wildcard, "/" when there are none (or the
   * pattern starts with '**'). For {@code /lib/*}{@code /libnss_*}: {@code /lib}.
   */
  public String literalPrefix() {
    if (!pattern.startsWith("/")) {
      return "/";
    }
    String[] parts = pattern.substring(1).split("/");
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].indexOf('*') >= 0 || parts[i].indexOf('?') >= 0) {
        break;
      }
      prefix.append('/').append(parts[i]);
    }
    return prefix.length() == 0 ? "/" : prefix.toString();
  }

  /** The same pattern with its literal prefix replaced (for a prefix that is a symlink). */
  ProfileGlob withPrefix(String newPrefix) {
    String prefix = literalPrefix();
    String rest = prefix.equals("/") ? pattern : pattern.substring(prefix.length());
    if (newPrefix.equals("/")) {
      return new ProfileGlob(rest.startsWith("/") ? rest : "/" + rest);
    }
    return new ProfileGlob(newPrefix + (rest.startsWith("/") ? rest : "/" + rest));
  }

  /** Whether the normalised absolute {@code path} or one of its ancestors matches. */
  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileGlob g && g.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static Pattern compile(String pattern) {
    String p = pattern.startsWith("/") ? pattern : "/" + pattern;
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '/' && p.startsWith("/**/", i)) {
        regex.append("/(?:.*/)?");
        i += 4;
      } else if (c == '/' && p.startsWith("/**", i) && i + 3 == p.length()) {
        regex.append("(?:/.*)?");
        i += 3;
      } else if (c == '*' && p.startsWith("**", i)) {
        regex.append(".*");
        i += 2;
      } else if (c == '*') {
        regex.append("[^/]*");
        i++;
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    regex.append("(?:/.*)?");
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
