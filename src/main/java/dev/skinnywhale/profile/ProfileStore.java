package dev.skinnywhale.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where profiles are found. A name or path is resolved as:
 *
 * <ol>
 *   <li>an existing file, when it ends with {@code .json} or contains '/' (relative to the working
 *       directory);
 *   <li>{@code ./profiles/NAME.json};
 *   <li>the user's profile directory: {@code --profiles-dir}, else {@code ~/.skinnywhale/profiles},
 *       {@code NAME.json} in it;
 *   <li>the profiles shipped in the jar ({@value #SHIPPED}{@code NAME.json}, listed in {@code
 *       index.txt}).
 * </ol>
 */
public final class ProfileStore {
  /** The classpath directory of the shipped profiles. */
  public static final String SHIPPED = "dev/skinnywhale/profile/shipped/";

  /** Where a profile was found. */
  public enum Origin {
    /** A path given by the user. */
    PATH,
    /** {@code ./profiles} of the working directory. */
    PROJECT,
    /** The user's profile directory. */
    USER,
    /** Shipped in the jar. */
    SHIPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A profile and where it came from.
   *
   * @param name the name it is found by (the file name without {@code .json})
   * @param origin which place
   * @param location the file, or {@code shipped:NAME.json} for the jar
   * @param profile its content
   */
  public record Stored(String name, Origin origin, String location, Profile profile) {
    public Stored {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(profile, "profile");
    }
  }

  private final Path workDir;
  private final Optional<Path> userDir;
  private final ClassLoader loader;
  private final ProfileJson json = new ProfileJson();

  /**
   * @param workDir the working directory ({@code ./profiles} and relative paths are taken from it)
   * @param homeDir the user's home directory, if known
   * @param profilesDir {@code --profiles-dir}: replaces {@code ~/.skinnywhale/profiles}
   * @param loader where the shipped profiles are
   */
  public ProfileStore(
      Path workDir, Optional<Path> homeDir, Optional<Path> profilesDir, ClassLoader loader) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.userDir =
        profilesDir
            .map(workDir::resolve)
            .or(() -> homeDir.map(h -> h.resolve(".skinnywhale").resolve("profiles")));
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /**
   * The profile a name or path stands for.
   *
   * @throws ProfileException when there is none, or it cannot be read
   */
  public Stored load(String nameOrPath) {
    Objects.requireNonNull(nameOrPath, "nameOrPath");
    if (nameOrPath.endsWith(".json") || nameOrPath.contains("/")) {
      Path file = workDir.resolve(nameOrPath);
      if (!Files.isRegularFile(file)) {
        throw new ProfileException(nameOrPath, "no such profile file");
      }
      return new Stored(stem(file), Origin.PATH, file.toString(), json.read(file));
    }
    try {
      Profile.checkName(nameOrPath);
    } catch (IllegalArgumentException e) {
      throw new ProfileException(nameOrPath, e.getMessage());
    }
    for (Origin origin : List.of(Origin.PROJECT, Origin.USER)) {
      Optional<Path> dir = dir(origin);
      if (dir.isPresent()) {
        Path file = dir.get().resolve(nameOrPath + ".json");
        if (Files.isRegularFile(file)) {
          return new Stored(nameOrPath, origin, file.toString(), json.read(file));
        }
      }
    }
    if (shippedNames().contains(nameOrPath)) {
      return shipped(nameOrPath);
    }
    throw new ProfileException(
        nameOrPath,
        "no such profile (looked in "
            + String.join(", ", places())
            + "; shipped: "
            + String.join(", ", shippedNames())
            + ")");
  }

  /**
   * Every profile of {@code ./profiles}, the user's directory and the jar, by name; for a name in
   * several places the first one wins (the same order as {@link #load}).
   *
   * @throws ProfileException when one of them cannot be read
   */
  public List<Stored> list() {
    TreeMap<String, Stored> byName = new TreeMap<>();
    for (Origin origin : List.of(Origin.PROJECT, Origin.USER)) {
      Optional<Path> dir = dir(origin);
      if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
        continue;
      }
      for (Path file : jsonFiles(dir.get())) {
        String name = stem(file);
        if (!byName.containsKey(name) && isName(name)) {
          byName.put(name, new Stored(name, origin, file.toString(), json.read(file)));
        }
      }
    }
    for (String name : shippedNames()) {
      if (!byName.containsKey(name)) {
        byName.put(name, shipped(name));
      }
    }
    return List.copyOf(byName.values());
  }

  /** The names listed in the jar's index, sorted. */
  public List<String> shippedNames() {
    URL index = loader.getResource(SHIPPED + "index.txt");
    if (index == null) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + SHIPPED + "index.txt", e);
    }
    return List.copyOf(names);
  }

  private Stored shipped(String name) {
    String resource = SHIPPED + name + ".json";
    String location = "shipped:" + name + ".json";
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ProfileException(location, "listed in index.txt but not in the jar");
      }
      return new Stored(name, Origin.SHIPPED, location, json.read(location, in));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }

  private Optional<Path> dir(Origin origin) {
    return switch (origin) {
      case PROJECT -> Optional.of(workDir.resolve("profiles"));
      case USER -> userDir;
      default -> Optional.empty();
    };
  }

  private List<String> places() {
    List<String> out = new ArrayList<>();
    out.add(workDir.resolve("profiles").toString());
    userDir.ifPresent(d -> out.add(d.toString()));
    return out;
  }

  private static List<Path> jsonFiles(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir, e);
    }
    files.sort(null);
    return files;
  }

  private static boolean isName(String name) {
    try {
      Profile.checkName(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}
