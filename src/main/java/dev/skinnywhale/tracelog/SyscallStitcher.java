package dev.skinnywhale.tracelog;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Layer 2: joins {@code name(... <unfinished ...>} with the same pid's {@code <... name resumed>
 * ...)} into one call. A resumed line with nothing to resume (the log started mid-call) is dropped;
 * so is an unfinished call whose process exits. One instance per log.
 */
final class SyscallStitcher {
  private final StraceLexer lexer;
  private final Map<Integer, TraceLine.Unfinished> pending = new HashMap<>();

  SyscallStitcher(StraceLexer lexer) {
    this.lexer = lexer;
  }

  /** The complete line this one makes, if any. */
  Optional<TraceLine> accept(TraceLine line) {
    if (line instanceof TraceLine.Unfinished u) {
      pending.put(u.pid(), u);
      return Optional.empty();
    }
    if (line instanceof TraceLine.Resumed r) {
      TraceLine.Unfinished u = pending.get(r.pid());
      if (u == null || !u.name().equals(r.name())) {
        u = execByAnotherThread(r);
      }
      if (u == null || !u.name().equals(r.name())) {
        return Optional.empty();
      }
      pending.remove(u.pid());
      return Optional.of(lexer.call(r.pid(), r.name(), join(u.argsPrefix(), r.rest())));
    }
    if (line instanceof TraceLine.Event e && e.isExit()) {
      pending.remove(e.pid());
    }
    return Optional.of(line);
  }

  /** A thread's execve resumes under the thread group leader's pid. */
  private TraceLine.Unfinished execByAnotherThread(TraceLine.Resumed r) {
    if (!r.name().startsWith("execve")) {
      return null;
    }
    return pending.values().stream()
        .filter(u -> u.name().equals(r.name()))
        .findFirst()
        .orElse(null);
  }

  private static String join(String prefix, String rest) {
    String p = prefix.stripTrailing();
    if (p.endsWith(",")) {
      p = p + " ";
    }
    return p + rest;
  }
}
