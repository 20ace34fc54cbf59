package dev.skinnywhale.tracelog;

import java.util.Objects;

/**
 * One kind of access to a path by one process. {@code pid} is 0 when the log does not say (strace
 * without {@code -f}).
 */
public record Access(AccessKind kind, boolean success, int pid) {
  public Access {
    Objects.requireNonNull(kind, "kind");
  }
}
