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

  /**
   * A path as text people and JSON read (UTF-8 decoded), from the byte string (one char per byte)
   * used inside a RootFs. Bytes that are not UTF-8 stay one char per byte, so such a name does not
   * survive a round trip through text; file names in images are UTF-8 in practice.
   */
  public static String toText(String bytePath) {
    byte[] bytes = bytePath.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    java.nio.charset.CharsetDecoder utf8 =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return utf8.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return bytePath;
    }
  }

  /** The byte string (one char per byte) of a path given as text, encoded as UTF-8. */
  public static String fromText(String text) {
    return new String(
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Whether {@code path} equals {@code dir} or lies below it (both normalised). */
  public static boolean isUnder(String path, String dir) {
    return dir.equals(ROOT) || path.equals(dir) || path.startsWith(dir + "/");
  }
}
