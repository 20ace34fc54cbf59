package dev.skinnywhale.docker;

import java.util.Objects;

/** One entry of a container's change set versus its image, as {@code docker diff} reports it. */
public record Change(Kind kind, String path) {
  public enum Kind {
    MODIFIED,
    ADDED,
    DELETED;

    /** The engine's numeric kind: 0 modified, 1 added, 2 deleted. */
    public static Kind ofCode(int code) {
      return switch (code) {
        case 0 -> MODIFIED;
        case 1 -> ADDED;
        case 2 -> DELETED;
        default -> throw new IllegalArgumentException("unknown change kind " + code);
      };
    }
  }

  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(path, "path");
  }
}
