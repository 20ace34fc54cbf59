package dev.skinnywhale.tar;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Confinement of untrusted tar member names (entry names and hard-link targets).
 *
 * <p>A name is normalised to an absolute path: leading "/" and "./" are stripped, empty and "."
 * components dropped, and ".." removes the previous component. A ".." that would climb above the
 * root is rejected rather than clamped (as go-containerregistry does), because a name written to
 * escape is a hostile or broken archive, not a path to repair. NUL anywhere is rejected. Symlink
 * targets are not names: they are kept verbatim and confined when {@code RootFs} resolves them.
 */
public final class TarNames {
  private TarNames() {}

  /**
   * The normalised absolute path of a tar member name ("/" for "./" or "/").
   *
   * @throws TarFormatException if the name is empty, contains NUL, or escapes the root
   */
  public static String normalize(String name) throws TarFormatException {
    if (name.isEmpty()) {
      throw new TarFormatException("empty name");
    }
    if (name.indexOf('\0') >= 0) {
      throw new TarFormatException("name contains NUL: " + printable(name));
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new TarFormatException("name escapes the root: " + printable(name));
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /** The member name a normalised absolute path is written as: no leading "/". */
  public static String toTarName(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
