package dev.skinnywhale.linker;

import java.util.Objects;

/** A dependency no search found, and where it looked. */
public record Unresolved(String name, String neededBy, DependencyKind kind, String reason) {
  public Unresolved {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(neededBy, "neededBy");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }
}
