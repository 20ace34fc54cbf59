package dev.skinnywhale.packages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image's package database as a value: the installed packages (in the database's order), the
 * diversions, and where it was read from. Immutable.
 */
public final class PackageDb {
  /** Which package manager wrote it. */
  public enum Kind {
    DPKG,
    APK
  }

  private final Kind kind;
  private final String location;
  private final List<InstalledPackage> packages;
  private final List<Diversion> diversions;
  private final Map<String, InstalledPackage> byKey;
  private final Map<String, List<InstalledPackage>> byName;
  private final Map<String, Diversion> diverted;

  /**
   * @param kind dpkg or apk
   * @param location the main database file (/var/lib/dpkg/status, /lib/apk/db/installed)
   * @param packages the installed packages, each key once
   * @param diversions dpkg's diversions (none for apk)
   */
  public PackageDb(
      Kind kind, String location, List<InstalledPackage> packages, List<Diversion> diversions) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.location = Objects.requireNonNull(location, "location");
    this.packages = List.copyOf(packages);
    this.diversions = List.copyOf(diversions);
    Map<String, InstalledPackage> keys = new LinkedHashMap<>();
    Map<String, List<InstalledPackage>> names = new LinkedHashMap<>();
    for (InstalledPackage p : this.packages) {
      if (keys.putIfAbsent(p.key(), p) != null) {
        throw new PackageDbException(location, p.line(), "package " + p.key() + " listed twice");
      }
      names.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
      for (String virtual : p.provides()) {
        List<InstalledPackage> providers = names.computeIfAbsent(virtual, n -> new ArrayList<>());
        if (!providers.contains(p)) {
          providers.add(p);
        }
      }
    }
    this.byKey = Collections.unmodifiableMap(keys);
    Map<String, List<InstalledPackage>> frozen = new LinkedHashMap<>();
    names.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    this.byName = Collections.unmodifiableMap(frozen);
    Map<String, Diversion> from = new LinkedHashMap<>();
    for (Diversion d : this.diversions) {
      from.putIfAbsent(d.from(), d);
    }
    this.diverted = Collections.unmodifiableMap(from);
  }

  public Kind kind() {
    return kind;
  }

  public String location() {
    return location;
  }

  public List<InstalledPackage> packages() {
    return packages;
  }

  public List<Diversion> diversions() {
    return diversions;
  }

  /** A package by {@code name:arch} (or the bare name for one without an architecture). */
  public Optional<InstalledPackage> byKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /**
   * What satisfies a relation on {@code name}: the packages of that name, then those that provide
   * it (a virtual package, an apk {@code so:} name).
   */
  public List<InstalledPackage> satisfying(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** The diversion of {@code path}, if any. */
  public Optional<Diversion> diversionOf(String path) {
    return Optional.ofNullable(diverted.get(path));
  }
}
