package dev.skinnywhale.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code HEALTHCHECK NONE} and {@code HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D]
 * [--start-interval=D] [--retries=N] CMD command}, with Docker's rules: durations in Go's syntax
 * ({@code 30s}, {@code 1m30s}, {@code 250ms}) and at least 1 ms, retries at least 1, the shell form
 * becomes {@code CMD-SHELL}.
 */
final class HealthcheckParser {
  private static final long MIN_DURATION = 1_000_000L;

  private HealthcheckParser() {}

  static ConfigChange.Healthcheck parse(String text, String rest, Map<String, String> flags) {
    if (rest.isEmpty()) {
      throw new ConfigChangeException(text, "HEALTHCHECK requires at least one argument");
    }
    int space = 0;
    while (space < rest.length() && !Character.isWhitespace(rest.charAt(space))) {
      space++;
    }
    String type = rest.substring(0, space).toUpperCase(Locale.ROOT);
    String args = rest.substring(space).strip();
    if (type.equals("NONE")) {
      if (!args.isEmpty()) {
        throw new ConfigChangeException(text, "HEALTHCHECK NONE takes no arguments");
      }
      if (!flags.isEmpty()) {
        throw new ConfigChangeException(text, "HEALTHCHECK NONE takes no options");
      }
      return new ConfigChange.Healthcheck(text, List.of("NONE"), 0, 0, 0, 0, 0);
    }
    if (!type.equals("CMD")) {
      throw new ConfigChangeException(
          text, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    List<String> test = new ArrayList<>();
    var json = ChangeParser.jsonArray(text, args);
    if (json.isPresent()) {
      test.add("CMD");
      test.addAll(json.get());
    } else {
      test.add("CMD-SHELL");
      test.add(args);
    }
    if (test.size() < 2 || args.isEmpty()) {
      throw new ConfigChangeException(text, "Missing command after HEALTHCHECK CMD");
    }
    long interval = duration(text, flags, "interval");
    long timeout = duration(text, flags, "timeout");
    long startPeriod = duration(text, flags, "start-period");
    long startInterval = duration(text, flags, "start-interval");
    int retries = 0;
    if (flags.containsKey("retries")) {
      String r = flags.get("retries");
      long value;
      try {
        value = Long.parseLong(r);
      } catch (NumberFormatException e) {
        throw new ConfigChangeException(text, "--retries: not a number: " + r);
      }
      if (value < 1 || value > Integer.MAX_VALUE) {
        throw new ConfigChangeException(text, "--retries must be at least 1 (not " + r + ")");
      }
      retries = (int) value;
    }
    return new ConfigChange.Healthcheck(
        text, test, interval, timeout, startPeriod, startInterval, retries);
  }

  private static long duration(String text, Map<String, String> flags, String name) {
    String value = flags.get(name);
    if (value == null || value.isEmpty()) {
      return 0;
    }
    long ns;
    try {
      ns = goDuration(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigChangeException(text, "--" + name + ": " + e.getMessage());
    }
    if (ns < MIN_DURATION) {
      throw new ConfigChangeException(text, "Interval \"" + name + "\" cannot be less than 1ms");
    }
    return ns;
  }

  /**
   * A duration in Go's {@code time.ParseDuration} syntax, in nanoseconds: a sign, then numbers with
   * units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}.
   */
  static long goDuration(String s) {
    String orig = s;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
    }
    double total = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.chars().filter(c -> c == '.').count() > 1) {
        throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      double scale =
          switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            case "" ->
                throw new IllegalArgumentException(
                    "time: missing unit in duration \"" + orig + "\"");
            default ->
                throw new IllegalArgumentException(
                    "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
          };
      total += Double.parseDouble(number) * scale;
      if (total > Long.MAX_VALUE) {
        throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
      }
    }
    long ns = Math.round(total);
    return negative ? -ns : ns;
  }
}
