package dev.skinnywhale.profile;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a path is in a profile. Declared in the alphabetical order of the wire names, so a {@code
 * SortedSet<Why>} prints in the same order as sorted strings would.
 */
public enum Why {
  /**
   * A directory the program made a file or directory in (kept as a directory, not its contents).
   */
  CREATED_IN,
  /** The path was executed (execve). */
  EXEC,
  /** A person (or {@code --include}) asked for it. */
  INCLUDE,
  /** A directory whose entries were read (getdents); kept as a directory, not with its contents. */
  LISTED,
  /** A shared library in the ELF closure of another kept file, named in {@code neededBy}. */
  NEEDED_BY,
  /** Opened (open, openat, openat2). */
  OPENED,
  /** Read as a symlink (readlink). */
  READLINK,
  /** Looked at without being opened (stat, lstat, access, ...). */
  STAT,
  /** A symlink crossed while resolving another kept path. */
  SYMLINK_HOP;

  /** The name in profile JSON: lower case, '-' for '_'. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The value of a wire name, if it is one. */
  public static Optional<Why> fromWire(String wire) {
    for (Why w : values()) {
      if (w.wireName().equals(wire)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }
}
