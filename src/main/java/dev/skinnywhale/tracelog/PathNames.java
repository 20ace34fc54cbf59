package dev.skinnywhale.tracelog;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Lexical path arithmetic: no file system is consulted. */
final class PathNames {
  private PathNames() {}

  /**
   * {@code path} made absolute against {@code base} (when relative) and normalised: {@code .} and
   * empty segments dropped, {@code ..} removes the previous segment (never above {@code /}). Empty
   * when {@code path} is relative and there is no absolute base.
   */
  static Optional<String> resolve(Optional<String> base, String path) {
    if (path.startsWith("/")) {
      return Optional.of(normalize(path));
    }
    if (base.isEmpty() || !base.get().startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(normalize(base.get() + "/" + path));
  }

  static String normalize(String absolute) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : absolute.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}
