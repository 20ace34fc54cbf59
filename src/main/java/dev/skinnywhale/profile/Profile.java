package dev.skinnywhale.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a trace found (or a person wrote), saved so that later builds keep the same paths without
 * running anything. See {@code profiles/README.md} for the JSON form.
 *
 * <p>Canonical by construction: entries are sorted by path (one entry per path), markers sorted and
 * distinct; commands keep their order.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param name the profile's name ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
 * @param comment what it covers and how it was made
 * @param source the image it was traced from; empty for hand-written profiles
 * @param tracer how the entries were found
 * @param commands the smoke commands that were traced, in order
 * @param markers patterns; {@code --profile auto} picks this profile when one matches the image
 * @param symbols symbol markers (schemaVersion 2; {@link SymbolPattern}): when present, the profile
 *     is a run-time need, applied to every build that keeps an ELF file importing one of them (and
 *     whose image matches a marker, when there are markers), and not picked by markers alone
 * @param entries the paths to keep
 */
public record Profile(
    int schemaVersion,
    String name,
    String comment,
    Optional<ProfileSource> source,
    TracerKind tracer,
    List<RecordedCommand> commands,
    List<String> markers,
    List<String> symbols,
    List<ProfileEntry> entries) {

  /** The schema version this code writes; it also reads {@link #OLDEST_READABLE_VERSION} on. */
  public static final int SCHEMA_VERSION = 2;

  /** schemaVersion 1: as 2 without {@code symbols}. */
  public static final int OLDEST_READABLE_VERSION = 1;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public Profile {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion "
              + schemaVersion
              + " (this version reads "
              + SCHEMA_VERSION
              + ")");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(tracer, "tracer");
    checkName(name);
    commands = List.copyOf(commands);
    TreeSet<String> sortedMarkers = new TreeSet<>();
    for (String marker : markers) {
      ProfileGlob.check(marker);
      sortedMarkers.add(marker);
    }
    markers = List.copyOf(sortedMarkers);
    TreeSet<String> sortedSymbols = new TreeSet<>();
    for (String symbol : symbols) {
      SymbolPattern.check(symbol);
      sortedSymbols.add(symbol);
    }
    symbols = List.copyOf(sortedSymbols);
    List<ProfileEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(ProfileEntry::path));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new IllegalArgumentException("duplicate entry: " + sorted.get(i).path());
      }
    }
    entries = List.copyOf(sorted);
  }

  /**
   * Checks a profile name.
   *
   * @throws IllegalArgumentException if it is not {@code [A-Za-z0-9][A-Za-z0-9._-]*} (at most 100
   *     characters)
   */
  public static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad profile name \"" + name + "\" (letters, digits, '.', '_', '-'; at most 100)");
    }
  }

  /** A profile without symbol markers (what a trace or a schemaVersion 1 file gives). */
  public Profile(
      int schemaVersion,
      String name,
      String comment,
      Optional<ProfileSource> source,
      TracerKind tracer,
      List<RecordedCommand> commands,
      List<String> markers,
      List<ProfileEntry> entries) {
    this(schemaVersion, name, comment, source, tracer, commands, markers, List.of(), entries);
  }

  /** A copy with another name. */
  public Profile withName(String newName) {
    return new Profile(
        schemaVersion, newName, comment, source, tracer, commands, markers, symbols, entries);
  }

  /** Whether the profile is a run-time need: it has symbol markers. */
  public boolean isSymbolNeed() {
    return !symbols.isEmpty();
  }

  /** The first symbol marker that matches {@code importedName}, if any. */
  public Optional<String> symbolMatching(String importedName) {
    return symbols.stream().filter(p -> SymbolPattern.matches(p, importedName)).findFirst();
  }
}
