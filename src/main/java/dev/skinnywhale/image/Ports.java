package dev.skinnywhale.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * EXPOSE's port specifications as Docker reads them ({@code nat.ParsePortSpecs}): {@code PORT},
 * {@code PORT/PROTO}, {@code FIRST-LAST[/PROTO]}, optionally after {@code [IP:]HOSTPORT:} (which
 * EXPOSE ignores); protocols tcp (the default), udp and sctp, case-insensitive.
 */
final class Ports {
  private static final List<String> PROTOCOLS = List.of("tcp", "udp", "sctp");

  private Ports() {}

  /**
   * The {@code ExposedPorts} keys of one specification ({@code "80/tcp"}, ...).
   *
   * @throws IllegalArgumentException with Docker's message
   */
  static List<String> expand(String spec) {
    String proto = "tcp";
    String rest = spec;
    int slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      proto = rest.substring(slash + 1).toLowerCase(Locale.ROOT);
      rest = rest.substring(0, slash);
      if (!PROTOCOLS.contains(proto)) {
        throw new IllegalArgumentException("Invalid proto: " + spec.substring(slash + 1));
      }
    }
    String container = rest;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      container = rest.substring(colon + 1);
      String front = rest.substring(0, colon);
      int ipColon = front.lastIndexOf(':');
      String hostPort = ipColon >= 0 ? front.substring(ipColon + 1) : front;
      if (ipColon < 0 && !hostPort.isEmpty() && !hostPort.matches("[0-9]+(-[0-9]+)?")) {
        throw new IllegalArgumentException("Invalid hostPort: " + hostPort);
      }
      if (!hostPort.isEmpty()) {
        range(hostPort, "hostPort");
      }
    }
    int[] r = range(container, "containerPort");
    List<String> out = new ArrayList<>();
    for (int p = r[0]; p <= r[1]; p++) {
      out.add(p + "/" + proto);
    }
    return out;
  }

  private static int[] range(String text, String what) {
    String[] parts = text.split("-", -1);
    if (parts.length > 2 || text.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + what + ": " + text);
    }
    int first = port(parts[0], text, what);
    int last = parts.length == 2 ? port(parts[1], text, what) : first;
    if (last < first) {
      throw new IllegalArgumentException("Invalid " + what + ": " + text);
    }
    return new int[] {first, last};
  }

  private static int port(String digits, String text, String what) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("Invalid " + what + ": " + text);
    }
    int p = Integer.parseInt(digits);
    if (p > 65535) {
      throw new IllegalArgumentException("Invalid " + what + ": " + text);
    }
    return p;
  }
}
