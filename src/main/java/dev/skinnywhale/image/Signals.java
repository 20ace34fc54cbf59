package dev.skinnywhale.image;

import java.util.Locale;
import java.util.Set;

/**
 * STOPSIGNAL's values as Docker accepts them ({@code signal.ParseSignal} on Linux): a number, or a
 * name with or without {@code SIG}, case-insensitive, the real-time ones as {@code RTMIN+N} and
 * {@code RTMAX-N}.
 */
final class Signals {
  private static final Set<String> NAMES =
      Set.of(
          "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
          "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
          "TRAP", "TSTP", "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH",
          "XCPU", "XFSZ", "RTMIN", "RTMAX");

  private Signals() {}

  /**
   * @throws IllegalArgumentException "Invalid signal: X"
   */
  static void check(String raw) {
    if (raw.matches("[0-9]{1,3}")) {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 64) {
        return;
      }
      throw new IllegalArgumentException("Invalid signal: " + raw);
    }
    String name = raw.toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    if (NAMES.contains(name)
        || name.matches("RTMIN\\+([1-9]|1[0-5])")
        || name.matches("RTMAX-([1-9]|1[0-4])")) {
      return;
    }
    throw new IllegalArgumentException("Invalid signal: " + raw);
  }
}
