package dev.skinnywhale.docker;

/** IP address literals, checked without any name lookup. */
final class IpLiteral {
  private IpLiteral() {}

  static boolean valid(String s) {
    return s.contains(":") ? v6(s) : v4(s);
  }

  static boolean v4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(p) > 255 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
    }
    return true;
  }

  static boolean v6(String s) {
    if (s.length() > 45) {
      return false;
    }
    int groups = 0;
    String body = s;
    int lastColon = body.lastIndexOf(':');
    if (body.indexOf('.') > lastColon) {
      if (!v4(body.substring(lastColon + 1))) {
        return false;
      }
      body = body.substring(0, lastColon + 1) + "0:0";
    }
    int gap = body.indexOf("::");
    if (gap >= 0 && body.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String[] halves =
        gap >= 0
            ? new String[] {body.substring(0, gap), body.substring(gap + 2)}
            : new String[] {body};
    for (String half : halves) {
      if (half.isEmpty()) {
        continue;
      }
      for (String g : half.split(":", -1)) {
        if (g.isEmpty() || g.length() > 4 || !g.matches("[0-9A-Fa-f]+")) {
          return false;
        }
        groups++;
      }
    }
    return gap >= 0 ? groups <= 7 : groups == 8;
  }
}
