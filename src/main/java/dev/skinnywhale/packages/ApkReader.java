package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads apk's database from an image's filesystem: {@code /lib/apk/db/installed} (one record per
 * package, {@code X:value} lines; {@code F:} a directory, then {@code R:} its files) and {@code
 * /etc/apk/world} (what the user asked for; everything else was installed as a dependency).
 */
public final class ApkReader {
  public static final String INSTALLED = "/lib/apk/db/installed";
  public static final String WORLD = "/etc/apk/world";

  private final DbLimits limits;

  public ApkReader(DbLimits limits) {
    this.limits = limits;
  }

  public ApkReader() {
    this(DbLimits.DEFAULT);
  }

  /**
   * The database, or empty when the image has none.
   *
   * @throws PackageDbException naming the file and line of what cannot be read
   */
  public Optional<PackageDb> read(RootFs fs) {
    DbFiles files = new DbFiles(fs, limits);
    Optional<String> installed = files.text(INSTALLED);
    if (installed.isEmpty()) {
      return Optional.empty();
    }
    Set<String> world = world(files);
    List<InstalledPackage> packages = new ArrayList<>();
    Record r = null;
    int lineNo = 0;
    int paths = 0;
    String text = installed.get();
    int pos = 0;
    while (pos <= text.length()) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(pos, end);
      pos = end + 1;
      lineNo++;
      if (line.length() > limits.maxLineChars()) {
        throw new PackageDbException(
            INSTALLED,
            lineNo,
            "line longer than the limit of " + limits.maxLineChars() + " characters");
      }
      if (line.isEmpty()) {
        if (r != null) {
          packages.add(r.toPackage(world));
          if (packages.size() > limits.maxPackages()) {
            throw new PackageDbException(
                INSTALLED, lineNo, "more than " + limits.maxPackages() + " packages (the limit)");
          }
          r = null;
        }
        if (end == text.length()) {
          break;
        }
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != ':') {
        throw new PackageDbException(
            INSTALLED, lineNo, "not an 'X:value' line: " + ControlFile.shorten(line));
      }
      if (r == null) {
        r = new Record(lineNo);
      }
      r.raw.append(line).append('\n');
      String value = line.substring(2);
      switch (line.charAt(0)) {
        case 'P' -> r.name = value;
        case 'V' -> r.version = value;
        case 'A' -> r.arch = value;
        case 'D' -> r.depends.addAll(words(value));
        case 'p' -> r.provides.addAll(words(value));
        case 'F' -> {
          r.dir = "/" + value;
          r.files.add(r.dir);
          paths++;
        }
        case 'R' -> {
          if (r.dir == null) {
            throw new PackageDbException(
                INSTALLED, lineNo, "a file (R:) before any directory (F:)");
          }
          r.files.add((r.dir.equals("/") ? "" : r.dir) + "/" + value);
          paths++;
        }
        default -> {}
      }
      if (paths > limits.maxPaths()) {
        throw new PackageDbException(
            INSTALLED, lineNo, "more than " + limits.maxPaths() + " paths (the limit)");
      }
      if (end == text.length()) {
        break;
      }
    }
    if (r != null) {
      packages.add(r.toPackage(world));
    }
    return Optional.of(new PackageDb(PackageDb.Kind.APK, INSTALLED, packages, List.of()));
  }

  /** Names in the world file: constraints ({@code >=1.2}, {@code @edge}) dropped. */
  private Set<String> world(DbFiles files) {
    Set<String> out = new HashSet<>();
    files.text(WORLD).ifPresent(text -> out.addAll(words(text)));
    return out;
  }

  /** Space-separated names with their version constraints, tags and conflicts ('!') dropped. */
  private static List<String> words(String value) {
    List<String> out = new ArrayList<>();
    for (String w : value.split("\\s+")) {
      if (w.isEmpty() || w.startsWith("!")) {
        continue;
      }
      int end = 0;
      while (end < w.length() && "<>=~@".indexOf(w.charAt(end)) < 0) {
        end++;
      }
      if (end > 0) {
        out.add(w.substring(0, end));
      }
    }
    return out;
  }

  /** One package record while it is read. */
  private static final class Record {
    final int line;
    final StringBuilder raw = new StringBuilder();
    final List<String> depends = new ArrayList<>();
    final List<String> provides = new ArrayList<>();
    final List<String> files = new ArrayList<>();
    String name = "";
    String version = "";
    String arch = "";
    String dir;

    Record(int line) {
      this.line = line;
    }

    InstalledPackage toPackage(Set<String> world) {
      if (name.isEmpty()) {
        throw new PackageDbException(INSTALLED, line, "a package record without a name (P:)");
      }
      List<List<String>> deps = depends.stream().map(List::of).toList();
      return new InstalledPackage(
          name,
          arch,
          version,
          false,
          "",
          !world.contains(name),
          deps,
          provides,
          files,
          List.of(),
          "",
          raw.toString(),
          line);
    }
  }
}
