package dev.skinnywhale.docker;

import dev.skinnywhale.docker.RunOptions.Mount;
import dev.skinnywhale.docker.RunOptions.MountType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code -v} and {@code --mount} in docker's syntax, read-only unless asked otherwise, refusing
 * what would hand the probe the host (its devices and kernel interfaces, an engine's socket, its
 * whole filesystem) or change the host (relabelling, shared propagation, volume drivers).
 */
final class MountParser {
  private MountParser() {}

  private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");

  private static final Set<String> PROPAGATION = Set.of("private", "rprivate", "slave", "rslave");

  private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

  /**
   * {@code -v [SOURCE:]TARGET[:OPTIONS]}: SOURCE an absolute host path (bind) or a volume name,
   * none for a new anonymous volume; read-only unless OPTIONS has {@code rw}.
   */
  static Mount volume(String value) {
    String what = "-v " + value;
    String[] parts = value.split(":", -1);
    if (parts.length > 3 || value.isEmpty()) {
      throw new IllegalArgumentException(what + ": wants [SOURCE:]TARGET[:OPTIONS]");
    }
    Optional<String> source = parts.length == 1 ? Optional.empty() : Optional.of(parts[0]);
    String target = RunOptionParser.target(what, parts.length == 1 ? parts[0] : parts[1]);
    boolean readOnly = true;
    boolean noCopy = false;
    Optional<String> propagation = Optional.empty();
    if (parts.length == 3) {
      for (String o : parts[2].split(",", -1)) {
        if (o.equals("rw")) {
          readOnly = false;
        } else if (o.equals("ro")) {
          readOnly = true;
        } else if (o.equals("nocopy")) {
          noCopy = true;
        } else if (PROPAGATION.contains(o)) {
          propagation = Optional.of(o);
        } else if (!CONSISTENCY.contains(o)) {
          throw refusedOrUnknown(what, o);
        }
      }
    }
    MountType type = MountType.VOLUME;
    if (source.isPresent() && source.get().startsWith("/")) {
      type = MountType.BIND;
      source = Optional.of(bindSource(what, source.get()));
    } else if (source.isPresent()) {
      volumeName(what, source.get());
    }
    if (type == MountType.BIND && noCopy) {
      throw new IllegalArgumentException(what + ": nocopy applies to volumes");
    }
    if (type == MountType.VOLUME && propagation.isPresent()) {
      throw new IllegalArgumentException(what + ": propagation applies to bind mounts");
    }
    return new Mount(
        type, source, target, readOnly, noCopy, propagation, Optional.empty(), Optional.empty());
  }

  /**
   * {@code --mount type=bind|volume|tmpfs,source=...,target=...[,readonly[=true|false]]...}:
   * read-only unless {@code readonly=false} (a tmpfs is writable).
   */
  static Mount mount(String value) {
    String what = "--mount " + value;
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : value.split(",", -1)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      String v = eq < 0 ? "" : field.substring(eq + 1).strip();
      key =
          switch (key) {
            case "src" -> "source";
            case "dst", "destination" -> "target";
            case "ro" -> "readonly";
            default -> key;
          };
      if (fields.containsKey(key)) {
        throw new IllegalArgumentException(what + ": " + key + " given twice");
      }
      fields.put(key, eq < 0 ? null : v);
    }
    String typeName = Optional.ofNullable(fields.remove("type")).orElse("volume");
    MountType type =
        switch (typeName) {
          case "bind" -> MountType.BIND;
          case "volume" -> MountType.VOLUME;
          case "tmpfs" -> MountType.TMPFS;
          default ->
              throw new IllegalArgumentException(
                  what + ": type " + typeName + " is not one of bind, volume, tmpfs");
        };
    String targetText = fields.remove("target");
    if (targetText == null || targetText.isEmpty()) {
      throw new IllegalArgumentException(what + ": a target is required");
    }
    String target = RunOptionParser.target(what, targetText);
    Optional<String> source =
        Optional.ofNullable(fields.remove("source")).filter(s -> !s.isEmpty());
    boolean readOnly = type != MountType.TMPFS;
    if (fields.containsKey("readonly")) {
      String ro = fields.remove("readonly");
      readOnly = ro == null || bool(what, ro);
    }
    boolean noCopy = false;
    if (fields.containsKey("volume-nocopy")) {
      String nc = fields.remove("volume-nocopy");
      noCopy = nc == null || bool(what, nc);
    }
    Optional<String> propagation = Optional.ofNullable(fields.remove("bind-propagation"));
    Optional<Long> size =
        Optional.ofNullable(fields.remove("tmpfs-size")).map(s -> RunOptionParser.bytes(what, s));
    Optional<Integer> mode =
        Optional.ofNullable(fields.remove("tmpfs-mode")).map(m -> octal(what, m));
    fields.remove("consistency");
    fields.remove("bind-nonrecursive");
    if (!fields.isEmpty()) {
      throw refusedOrUnknown(what, fields.keySet().iterator().next());
    }
    if (propagation.isPresent() && !PROPAGATION.contains(propagation.get())) {
      throw refusedOrUnknown(what, propagation.get());
    }
    switch (type) {
      case BIND -> {
        if (source.isEmpty()) {
          throw new IllegalArgumentException(what + ": a bind mount needs a source");
        }
        source = Optional.of(bindSource(what, source.get()));
      }
      case VOLUME -> source.ifPresent(s -> volumeName(what, s));
      case TMPFS -> {
        if (source.isPresent()) {
          throw new IllegalArgumentException(what + ": a tmpfs has no source");
        }
        if (readOnly) {
          throw new IllegalArgumentException(what + ": a read-only tmpfs cannot be written");
        }
      }
    }
    if (type != MountType.BIND && propagation.isPresent()) {
      throw new IllegalArgumentException(what + ": bind-propagation applies to bind mounts");
    }
    if (type != MountType.VOLUME && noCopy) {
      throw new IllegalArgumentException(what + ": volume-nocopy applies to volumes");
    }
    if (type != MountType.TMPFS && (size.isPresent() || mode.isPresent())) {
      throw new IllegalArgumentException(what + ": tmpfs options apply to tmpfs mounts");
    }
    return new Mount(type, source, target, readOnly, noCopy, propagation, size, mode);
  }

  /** A bind source: absolute, and not what would hand the probe the host or the engine. */
  private static String bindSource(String what, String text) {
    String s = RunOptionParser.normalize(what, text);
    for (String root : List.of("/dev", "/proc", "/sys")) {
      if (s.equals(root) || s.startsWith(root + "/")) {
        throw new IllegalArgumentException(
            what
                + ": refused: "
                + root
                + " of the host would give the probe devices or kernel"
                + " interfaces");
      }
    }
    if (s.equals("/")) {
      throw new IllegalArgumentException(what + ": refused: the host's whole filesystem");
    }
    if (s.endsWith(".sock") || s.matches("/(var/)?run/(docker|containerd|podman|crio).*")) {
      throw new IllegalArgumentException(
          what + ": refused: an engine's socket would give the probe control of the engine");
    }
    return s;
  }

  private static void volumeName(String what, String name) {
    if (!VOLUME_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + ": " + name + " is neither an absolute host path nor a volume name");
    }
  }

  private static IllegalArgumentException refusedOrUnknown(String what, String option) {
    String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
    return switch (key) {
      case "z", "Z" ->
          new IllegalArgumentException(
              what + ": " + key + " is refused: it relabels the host's files");
      case "shared", "rshared" ->
          new IllegalArgumentException(
              what
                  + ": "
                  + key
                  + " propagation is refused: the probe's mounts would reach the host");
      case "volume-driver", "volume-opt" ->
          new IllegalArgumentException(
              what + ": " + key + " is refused: a driver could mount anything of the host");
      default -> new IllegalArgumentException(what + ": unknown option " + option);
    };
  }

  private static boolean bool(String what, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new IllegalArgumentException(what + ": not a boolean: " + v);
    };
  }

  private static int octal(String what, String v) {
    if (!v.matches("[0-7]{1,4}")) {
      throw new IllegalArgumentException(what + ": tmpfs-mode is an octal mode, got: " + v);
    }
    return Integer.parseInt(v, 8);
  }
}
