package dev.skinnywhale.profile;

import java.util.Locale;
import java.util.Optional;

/** What a profile entry names. */
public enum EntryType {
  /** A regular file (or a hard link to one). */
  FILE,
  /** A directory by itself, without its contents. */
  DIR,
  /** A symbolic link by itself; its target is an entry of its own. */
  SYMLINK,
  /**
   * A pattern ('*' and '?' within one component, '**' across components); every match is kept, and
   * a matching directory with everything below it. Hand-written profiles only.
   */
  GLOB;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<EntryType> fromWire(String wire) {
    for (EntryType t : values()) {
      if (t.wireName().equals(wire)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
