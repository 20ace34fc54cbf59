package dev.skinnywhale.profile;

import dev.skinnywhale.seccomp.SeccompPolicy;
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
 * @param schemaVersion {@link #SCHEMA_VERSION}, or an older one this code still reads (from {@link
 *     #MIN_SCHEMA_VERSION}): a profile keeps the version it was read with
 * @param name the profile's name ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
 * @param comment what it covers and how it was made
 * @param source the image it was traced from; empty for hand-written profiles
 * @param tracer how the entries were found
 * @param commands the smoke commands that were traced, in order
 * @param markers patterns; {@code --profile auto} picks this profile when one matches the image
 * @param symbols symbol markers (schema 2; {@link SymbolPattern}), sorted and distinct: when
 *     present, the profile is a run-time need, applied to every build that keeps an ELF file
 *     importing one of them (and whose image matches a marker, when there are markers), and not
 *     picked by markers alone
 * @param entries the paths to keep
 * @param seccomp the seccomp policy of the traced commands, when the trace made one (schema 2)
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
    List<ProfileEntry> entries,
    Optional<SeccompPolicy> seccomp) {

  /** The schema version this code writes (2: the optional {@code symbols} and {@code seccomp}). */
  public static final int SCHEMA_VERSION = 2;

  /** The oldest schema version this code still reads. */
  public static final int MIN_SCHEMA_VERSION = 1;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public Profile {
    if (schemaVersion < MIN_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion "
              + schemaVersion
              + " (this version reads "
              + MIN_SCHEMA_VERSION
              + " to "
              + SCHEMA_VERSION
              + ")");
    }
    Objects.requireNonNull(seccomp, "seccomp");
    if (seccomp.isPresent() && schemaVersion < 2) {
      throw new IllegalArgumentException("\"seccomp\" needs schemaVersion 2");
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
    if (!symbols.isEmpty() && schemaVersion < 2) {
      throw new IllegalArgumentException("\"symbols\" needs schemaVersion 2");
    }
    List<ProfileEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(ProfileEntry::path));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new IllegalArgumentException("duplicate entry: " + sorted.get(i).path());
      }
    }
    entries = List.copyOf(sorted);
  }

  /** A profile without symbol markers. */
  public Profile(
      int schemaVersion,
      String name,
      String comment,
      Optional<ProfileSource> source,
      TracerKind tracer,
      List<RecordedCommand> commands,
      List<String> markers,
      List<ProfileEntry> entries,
      Optional<SeccompPolicy> seccomp) {
    this(
        schemaVersion,
        name,
        comment,
        source,
        tracer,
        commands,
        markers,
        List.of(),
        entries,
        seccomp);
  }

  /** A profile without symbol markers or a seccomp policy. */
  public Profile(
      int schemaVersion,
      String name,
      String comment,
      Optional<ProfileSource> source,
      TracerKind tracer,
      List<RecordedCommand> commands,
      List<String> markers,
      List<ProfileEntry> entries) {
    this(
        schemaVersion, name, comment, source, tracer, commands, markers, entries, Optional.empty());
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

  /** A copy with another name. */
  public Profile withName(String newName) {
    return new Profile(
        schemaVersion,
        newName,
        comment,
        source,
        tracer,
        commands,
        markers,
        symbols,
        entries,
        seccomp);
  }

  /** Whether the profile is a run-time need: it has symbol markers. */
  public boolean isSymbolNeed() {
    return !symbols.isEmpty();
  }

  /** The first symbol marker that matches {@code importedName}, if any. */
  public Optional<String> symbolMatching(String importedName) {
    return symbols.stream().filter(p -> SymbolPattern.matches(p, importedName)).findFirst();
  }

  /** A copy with this seccomp policy (and the current schema version, which has the field). */
  public Profile withSeccomp(Optional<SeccompPolicy> policy) {
    return new Profile(
        policy.isPresent() ? SCHEMA_VERSION : schemaVersion,
        name,
        comment,
        source,
        tracer,
        commands,
        markers,
        symbols,
        entries,
        policy);
  }
}
