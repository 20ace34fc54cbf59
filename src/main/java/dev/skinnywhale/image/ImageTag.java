package dev.skinnywhale.image;

import java.util.regex.Pattern;

/**
 * The grammar of an image tag as the engine accepts it ([registry/]name[:tag], lower-case name).
 */
public final class ImageTag {
  private static final Pattern TAG =
      Pattern.compile(ReferenceGrammar.NAME + "(?::(" + ReferenceGrammar.TAG + "))?");

  private ImageTag() {}

  /**
   * Why {@code tag} is not a tag the engine takes, or empty when it is one. A first component with
   * '.' or ':' (or "localhost") is a registry host, the rest must be lower case.
   */
  public static java.util.Optional<String> problem(String tag) {
    if (tag.contains("@")) {
      return java.util.Optional.of("a digest is not a tag: " + tag);
    }
    var m = TAG.matcher(tag);
    if (!m.matches()) {
      return java.util.Optional.of(
          "not a valid tag: \""
              + tag
              + "\" (lower-case name components of letters, digits and . _ -, an optional"
              + " :tag)");
    }
    String name = (m.group(1) == null ? "" : m.group(1) + "/") + m.group(2);
    if (name.length() > ReferenceGrammar.NAME_MAX) {
      return java.util.Optional.of("the name of tag " + tag + " is longer than 255 characters");
    }
    return java.util.Optional.empty();
  }
}
