package dev.skinnywhale.packages;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A package name pattern as a user types it: {@code *} any run of characters, {@code ?} one;
 * matched against the name and against {@code name:arch}.
 */
public final class PackageGlob {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9.+*?_-]+(:[A-Za-z0-9*?_-]+)?");

  private final String text;
  private final Pattern pattern;

  public PackageGlob(String text) {
    Objects.requireNonNull(text, "text");
    if (!VALID.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "not a package name or pattern (letters, digits, . + - _, * and ?, optionally :arch): "
              + text);
    }
    this.text = text;
    StringBuilder re = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    this.pattern = Pattern.compile(re.toString());
  }

  public boolean matches(InstalledPackage p) {
    return pattern.matcher(p.name()).matches() || pattern.matcher(p.key()).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
