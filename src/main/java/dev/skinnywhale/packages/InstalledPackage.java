package dev.skinnywhale.packages;

import java.util.List;
import java.util.Objects;

/**
 * One package the image's package manager says is installed, as its database records it.
 *
 * @param name the package name
 * @param architecture "amd64", "all", "x86_64", ... ("" when the record has none)
 * @param version as recorded
 * @param essential dpkg's {@code Essential: yes}
 * @param priority dpkg's Priority ("" when absent; apk has none)
 * @param auto installed only as a dependency (apt's extended_states, or not in apk's world)
 * @param depends Depends and Pre-Depends: one list of alternatives per relation, bare names
 *     (versions and architecture qualifiers dropped)
 * @param provides virtual names (and, for apk, {@code so:} and {@code cmd:} names) it provides
 * @param files every path the database lists for it, as listed (dpkg: pre-usr-merge paths,
 *     directories included)
 * @param conffiles its configuration files, as listed
 * @param infoName dpkg: the name of its info files ({@code libc6:amd64} for {@code
 *     libc6:amd64.list}, or the bare name); "" when it has none, and for apk
 * @param record the package's record as written in the database (ISO-8859-1 chars), to write back
 * @param line 1-based line of the record in the database file
 */
public record InstalledPackage(
    String name,
    String architecture,
    String version,
    boolean essential,
    String priority,
    boolean auto,
    List<List<String>> depends,
    List<String> provides,
    List<String> files,
    List<String> conffiles,
    String infoName,
    String record,
    int line) {
  public InstalledPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(priority, "priority");
    depends = depends.stream().map(List::copyOf).toList();
    provides = List.copyOf(provides);
    files = List.copyOf(files);
    conffiles = List.copyOf(conffiles);
    Objects.requireNonNull(infoName, "infoName");
    Objects.requireNonNull(record, "record");
  }

  /** {@code name:architecture}, as dpkg names a package of a multi-arch system. */
  public String key() {
    return architecture.isEmpty() ? name : name + ":" + architecture;
  }

  /** dpkg's priority "required" or {@code Essential: yes}. */
  public boolean requiredOrEssential() {
    return essential || priority.equals("required");
  }

  @Override
  public String toString() {
    return key() + " " + version;
  }
}
