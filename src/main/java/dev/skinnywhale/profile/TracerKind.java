package dev.skinnywhale.profile;

import java.util.Optional;

/** How the entries of a profile were found. */
public enum TracerKind {
  /** The static ptrace tracer: files, directories, execs and library loads. */
  PTRACE("ptrace"),
  /** The LD_DEBUG fallback: shared libraries only, no data files. */
  LD_DEBUG("ld-debug"),
  /** Written (or merged) by a person. */
  HAND_WRITTEN("hand-written");

  private final String wireName;

  TracerKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<TracerKind> fromWire(String wire) {
    for (TracerKind t : values()) {
      if (t.wireName.equals(wire)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
