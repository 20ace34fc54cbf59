package dev.skinnywhale.docker;

import dev.skinnywhale.docker.RunOptions.Mount;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker run}'s syntax for the options a probe container takes ({@code --add-host}, {@code
 * --tmpfs}, {@code -v}, {@code --mount}, {@code --shm-size}, {@code --ulimit}, {@code --dns}), one
 * value at a time. What would grant a privilege is refused with the reason: device nodes, the
 * host's kernel interfaces, engine sockets, relabelling host files, mount propagation to the host.
 * Every method throws {@link IllegalArgumentException} with a message for the user.
 */
public final class RunOptionParser {
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]{0,252})");
  private static final Pattern SIZE =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?) ?([kKmMgGtTpP])?[iI]?[bB]?");

  private static final Set<String> TMPFS_FLAGS =
      Set.of(
          "ro",
          "rw",
          "exec",
          "noexec",
          "nosuid",
          "nodev",
          "sync",
          "async",
          "atime",
          "noatime",
          "diratime",
          "nodiratime",
          "relatime",
          "norelatime",
          "strictatime",
          "nostrictatime");
  private static final Set<String> TMPFS_VALUES =
      Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks");
  private static final Set<String> ULIMITS =
      Set.of(
          "core",
          "cpu",
          "data",
          "fsize",
          "locks",
          "memlock",
          "msgqueue",
          "nice",
          "nofile",
          "nproc",
          "rss",
          "rtprio",
          "rttime",
          "sigpending",
          "stack");

  /** Where the tracer lives in a probe container; nothing may be mounted over it. */
  private static final String PROBE_DIR = "/.skinnywhale-probe";

  private RunOptionParser() {}

  /** {@code --add-host NAME:ADDR} (or {@code NAME=ADDR}); ADDR an IP address or host-gateway. */
  public static String addHost(String value) {
    int sep = value.indexOf(':');
    int eq = value.indexOf('=');
    if (eq >= 0 && (sep < 0 || eq < sep)) {
      sep = eq;
    }
    if (sep <= 0) {
      throw new IllegalArgumentException("--add-host wants NAME:ADDR, got: " + value);
    }
    String name = value.substring(0, sep);
    String addr = value.substring(sep + 1);
    if (!HOST_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("--add-host " + value + ": bad host name " + name);
    }
    if (!addr.equals("host-gateway") && !IpLiteral.valid(addr)) {
      throw new IllegalArgumentException(
          "--add-host " + value + ": " + addr + " is not an IP address");
    }
    return name + ":" + addr;
  }

  /** {@code --dns ADDR}. */
  public static String dns(String value) {
    if (!IpLiteral.valid(value)) {
      throw new IllegalArgumentException("--dns " + value + ": not an IP address");
    }
    return value;
  }

  /** {@code --tmpfs PATH[:OPTIONS]}, the options those of mount(8) for tmpfs (not {@code dev}). */
  public static RunOptions.Tmpfs tmpfs(String value) {
    int colon = value.indexOf(':');
    String path = target("--tmpfs " + value, colon < 0 ? value : value.substring(0, colon));
    String options = colon < 0 ? "" : value.substring(colon + 1);
    if (!options.isEmpty()) {
      for (String o : options.split(",", -1)) {
        int eq = o.indexOf('=');
        String key = eq < 0 ? o : o.substring(0, eq);
        if (key.equals("dev") || key.equals("suid")) {
          throw new IllegalArgumentException(
              "--tmpfs "
                  + value
                  + ": "
                  + key
                  + " is refused (probe containers get no device"
                  + " nodes and no setuid programs)");
        }
        boolean known = eq < 0 ? TMPFS_FLAGS.contains(key) : TMPFS_VALUES.contains(key);
        if (!known || (eq >= 0 && !o.substring(eq + 1).matches("[0-9]+[kKmMgG%]?"))) {
          throw new IllegalArgumentException("--tmpfs " + value + ": unknown option " + o);
        }
      }
    }
    return new RunOptions.Tmpfs(path, options);
  }

  /**
   * {@code -v [SOURCE:]TARGET[:OPTIONS]}: SOURCE an absolute host path (bind) or a volume name,
   * none for a new anonymous volume; read-only unless OPTIONS has {@code rw}.
   */
  public static Mount volume(String value) {
    return MountParser.volume(value);
  }

  /**
   * {@code --mount type=bind|volume|tmpfs,source=...,target=...[,readonly[=true|false]]...}:
   * read-only unless {@code readonly=false} (a tmpfs is writable).
   */
  public static Mount mount(String value) {
    return MountParser.mount(value);
  }

  /** {@code --shm-size SIZE}: bytes, or a number with a unit (k, m, g, t, p; powers of 1024). */
  public static long shmSize(String value) {
    long bytes = bytes("--shm-size " + value, value);
    if (bytes <= 0) {
      throw new IllegalArgumentException("--shm-size " + value + ": must be more than 0");
    }
    return bytes;
  }

  /** {@code --ulimit NAME=SOFT[:HARD]}. */
  public static RunOptions.Ulimit ulimit(String value) {
    String what = "--ulimit " + value;
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(what + ": wants NAME=SOFT[:HARD]");
    }
    String name = value.substring(0, eq);
    if (!ULIMITS.contains(name)) {
      throw new IllegalArgumentException(what + ": unknown limit " + name);
    }
    String[] limits = value.substring(eq + 1).split(":", -1);
    if (limits.length > 2) {
      throw new IllegalArgumentException(what + ": wants NAME=SOFT[:HARD]");
    }
    long soft = limit(what, limits[0]);
    long hard = limits.length == 2 ? limit(what, limits[1]) : soft;
    if (hard != -1 && (soft == -1 || soft > hard)) {
      throw new IllegalArgumentException(
          what + ": the soft limit " + limits[0] + " is above the hard limit " + limits[1]);
    }
    return new RunOptions.Ulimit(name, soft, hard);
  }

  private static long limit(String what, String text) {
    try {
      long v = Long.parseLong(text);
      if (v < -1) {
        throw new IllegalArgumentException(what + ": a limit is -1 (unlimited) or more");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": not a number: " + text);
    }
  }

  /** A mount target: absolute, normalised, not "/" and not the probe's own directory. */
  static String target(String what, String text) {
    String t = normalize(what, text);
    if (t.equals("/")) {
      throw new IllegalArgumentException(what + ": cannot mount over /");
    }
    if (t.equals(PROBE_DIR) || t.startsWith(PROBE_DIR + "/")) {
      throw new IllegalArgumentException(what + ": " + PROBE_DIR + " is skinnywhale's own");
    }
    return t;
  }

  static String normalize(String what, String path) {
    if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + ": " + path + " is not an absolute path");
    }
    StringBuilder out = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new IllegalArgumentException(what + ": " + path + " has '..' in it");
      }
      out.append('/').append(part);
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  static long bytes(String what, String v) {
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(what + ": not a size: " + v);
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    int shift =
        switch (unit) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          case "p" -> 50;
          default -> 0;
        };
    double bytes = n * Math.pow(2, shift);
    if (bytes >= Long.MAX_VALUE) {
      throw new IllegalArgumentException(what + ": too large: " + v);
    }
    return (long) bytes;
  }
}
