package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads dpkg's database from an image's filesystem, running nothing of the image: {@code
 * /var/lib/dpkg/status} (the installed packages), {@code info/NAME.list} (their files; {@code
 * NAME:ARCH.list} for multi-arch packages), {@code diversions}, and apt's {@code
 * /var/lib/apt/extended_states} (which packages were installed only as dependencies).
 */
public final class DpkgReader {
  public static final String ADMIN_DIR = "/var/lib/dpkg";
  public static final String STATUS = ADMIN_DIR + "/status";
  public static final String INFO_DIR = ADMIN_DIR + "/info";
  public static final String DIVERSIONS = ADMIN_DIR + "/diversions";
  public static final String EXTENDED_STATES = "/var/lib/apt/extended_states";

  /** The states in which a package has files on disk (dpkg's "not-installed" has none). */
  private static final Set<String> PRESENT =
      Set.of(
          "installed",
          "half-installed",
          "unpacked",
          "half-configured",
          "triggers-awaited",
          "triggers-pending",
          "config-files");

  private final DbLimits limits;

  public DpkgReader(DbLimits limits) {
    this.limits = limits;
  }

  public DpkgReader() {
    this(DbLimits.DEFAULT);
  }

  /**
   * The database, or empty when the image has no status file.
   *
   * @throws PackageDbException naming the file and line of what cannot be read
   */
  public Optional<PackageDb> read(RootFs fs) {
    DbFiles files = new DbFiles(fs, limits);
    Optional<String> status = files.text(STATUS);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    Set<String> auto = autoInstalled(files);
    List<InstalledPackage> packages = new ArrayList<>();
    int paths = 0;
    for (ControlFile.Stanza s : ControlFile.parse(STATUS, status.get(), limits)) {
      String name = s.value("Package");
      if (name.isEmpty()) {
        throw new PackageDbException(STATUS, s.line(), "a record without a Package field");
      }
      String state = s.value("Status");
      String[] words = state.split("\\s+");
      if (words.length != 3) {
        throw new PackageDbException(
            STATUS,
            s.field("Status").map(ControlFile.Field::line).orElse(s.line()),
            "package "
                + name
                + ": Status wants three words (want flag state), got '"
                + state
                + "'");
      }
      if (!PRESENT.contains(words[2])) {
        continue;
      }
      String arch = s.value("Architecture");
      String key = arch.isEmpty() ? name : name + ":" + arch;
      String infoName = infoName(files, name, arch);
      List<String> listed =
          infoName.isEmpty() ? List.of() : lines(files, INFO_DIR + "/" + infoName + ".list");
      paths += listed.size();
      if (paths > limits.maxPaths()) {
        throw new PackageDbException(
            INFO_DIR + "/" + infoName + ".list",
            0,
            "the packages list more than " + limits.maxPaths() + " paths (the limit)");
      }
      List<List<String>> depends = new ArrayList<>(Relations.parse(s.value("Pre-Depends")));
      depends.addAll(Relations.parse(s.value("Depends")));
      packages.add(
          new InstalledPackage(
              name,
              arch,
              s.value("Version"),
              s.value("Essential").equalsIgnoreCase("yes"),
              s.value("Priority"),
              isAuto(auto, name, arch),
              depends,
              Relations.names(s.value("Provides")),
              listed,
              conffiles(s),
              infoName,
              s.text(),
              s.line()));
    }
    return Optional.of(new PackageDb(PackageDb.Kind.DPKG, STATUS, packages, diversions(files)));
  }

  /**
   * apt records an "Architecture: all" package under the native architecture: such a package (and
   * one without an architecture) is matched by name.
   */
  private static boolean isAuto(Set<String> auto, String name, String arch) {
    if (auto.contains(name + ":" + arch)) {
      return true;
    }
    return (arch.isEmpty() || arch.equals("all")) && auto.contains(name);
  }

  /** {@code name:arch} when dpkg keeps the package's files list under that name, else name. */
  private static String infoName(DbFiles files, String name, String arch) {
    if (!arch.isEmpty() && files.exists(INFO_DIR + "/" + name + ":" + arch + ".list")) {
      return name + ":" + arch;
    }
    return files.exists(INFO_DIR + "/" + name + ".list") ? name : "";
  }

  /** Non-empty lines of a database file (none when it is missing). */
  private List<String> lines(DbFiles files, String path) {
    Optional<String> text = files.text(path);
    List<String> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    int lineNo = 0;
    for (String line : text.get().split("\n", -1)) {
      lineNo++;
      if (line.length() > limits.maxLineChars()) {
        throw new PackageDbException(
            path, lineNo, "line longer than the limit of " + limits.maxLineChars() + " characters");
      }
      if (line.isEmpty()) {
        continue;
      }
      if (!line.startsWith("/")) {
        throw new PackageDbException(path, lineNo, "not an absolute path: " + shorten(line));
      }
      out.add(line);
    }
    return out;
  }

  /** The Conffiles field: one " /path md5 [obsolete]" line each. */
  private static List<String> conffiles(ControlFile.Stanza s) {
    List<String> out = new ArrayList<>();
    s.field("Conffiles")
        .ifPresent(
            f -> {
              List<String> lines = new ArrayList<>(f.continuation());
              if (!f.value().isEmpty()) {
                lines.add(0, f.value());
              }
              for (String line : lines) {
                String path = line.split("\\s+")[0];
                if (!path.startsWith("/")) {
                  throw new PackageDbException(
                      STATUS, f.line(), "Conffiles: not an absolute path: " + shorten(line));
                }
                out.add(path);
              }
            });
    return out;
  }

  /** Triples of lines: the diverted path, where it goes, the diverting package (":" for local). */
  private List<Diversion> diversions(DbFiles files) {
    Optional<String> text = files.text(DIVERSIONS);
    List<Diversion> out = new ArrayList<>();
    if (text.isEmpty() || text.get().isEmpty()) {
      return out;
    }
    String body = text.get();
    if (body.endsWith("\n")) {
      body = body.substring(0, body.length() - 1);
    }
    String[] lines = body.split("\n", -1);
    if (lines.length % 3 != 0) {
      throw new PackageDbException(
          DIVERSIONS,
          lines.length,
          "wants lines in threes (from, to, package); the file has " + lines.length);
    }
    for (int i = 0; i < lines.length; i += 3) {
      if (!lines[i].startsWith("/") || !lines[i + 1].startsWith("/")) {
        throw new PackageDbException(
            DIVERSIONS, i + 1, "a diversion wants two absolute paths: " + shorten(lines[i]));
      }
      out.add(new Diversion(lines[i], lines[i + 1], lines[i + 2]));
    }
    return out;
  }

  /**
   * {@code name:arch} and the bare name of every package apt marks Auto-Installed: 1 (the bare name
   * serves only packages without an architecture of their own).
   */
  private Set<String> autoInstalled(DbFiles files) {
    Set<String> out = new HashSet<>();
    Optional<String> text = files.text(EXTENDED_STATES);
    if (text.isEmpty()) {
      return out;
    }
    for (ControlFile.Stanza s : ControlFile.parse(EXTENDED_STATES, text.get(), limits)) {
      String name = s.value("Package");
      if (name.isEmpty()) {
        throw new PackageDbException(EXTENDED_STATES, s.line(), "a record without a Package field");
      }
      if (s.value("Auto-Installed").equals("1")) {
        out.add(name + ":" + s.value("Architecture"));
        out.add(name);
      }
    }
    return out;
  }

  private static String shorten(String line) {
    return ControlFile.shorten(line);
  }
}
