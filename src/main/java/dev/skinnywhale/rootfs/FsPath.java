package dev.skinnywhale.rootfs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Paths inside an image filesystem: absolute, '/'-separated, normalised lexically ("/" is the
 * root). Paths are byte strings decoded as ISO-8859-1, so every byte round-trips.
 */
public final class FsPath {
  public static final String ROOT = "/";

  private FsPath() {}

  /**
   * Normalises {@code path} as an absolute path: collapses "//" and ".", resolves ".." lexically
   * and never above the root. A relative path is taken relative to the root.
   */
  public static String normalize(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? ROOT : "/" + String.join("/", parts);
  }

  /** Whether {@code path} is already in normal form. */
  public static boolean isNormal(String path) {
    return path.equals(normalize(path));
  }

  /** The parent of a normalised path; empty for the root. */
  public static Optional<String> parent(String path) {
    if (path.equals(ROOT)) {
      return Optional.empty();
    }
    int slash = path.lastIndexOf('/');
    return Optional.of(slash == 0 ? ROOT : path.substring(0, slash));
  }

  /** The last component of a normalised path ("" for the root). */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Joins a directory and a relative or absolute path, then normalises. */
  public static String resolve(String dir, String other) {
    return other.startsWith("/") ? normalize(other) : normalize(dir + "/" + other);
  }

  /** Every ancestor of a normalised path, root first, the path itself excluded. */
  public static List<String> ancestors(String path) {
    List<String> out = new ArrayList<>();
    Optional<String> p = parent(path);
    while (p.isPresent()) {
      out.add(0, p.get());
      p = parent(p.get());
    }
    return out;
  }

  /** Whether {@code path} equals {@code dir} or lies below it (both normalised). */
  public static boolean isUnder(String path, String dir) {
    return dir.equals(ROOT) || path.equals(dir) || path.startsWith(dir + "/");
  }
}
