package dev.skinnywhale.profile;

import dev.skinnywhale.rootfs.FsPath;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One path of a profile and why it is there.
 *
 * @param path a normalised absolute path, or for {@link EntryType#GLOB} a {@link ProfileGlob}
 *     pattern
 * @param type what the path names
 * @param why the reasons, at least one
 * @param neededBy for {@link Why#NEEDED_BY}: the ELF file that needs this library (present exactly
 *     when {@code why} holds {@code NEEDED_BY})
 */
public record ProfileEntry(
    String path, EntryType type, SortedSet<Why> why, Optional<String> neededBy) {

  public ProfileEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(neededBy, "neededBy");
    if (type == EntryType.GLOB) {
      ProfileGlob.check(path);
    } else if (!path.startsWith("/") || !FsPath.isNormal(path)) {
      throw new IllegalArgumentException("not a normalised absolute path: \"" + path + "\"");
    }
    if (why.isEmpty()) {
      throw new IllegalArgumentException("no reason (why) for " + path);
    }
    why = Collections.unmodifiableSortedSet(new TreeSet<>(why));
    if (why.contains(Why.NEEDED_BY) != neededBy.isPresent()) {
      throw new IllegalArgumentException(
          "neededBy must be given exactly when why has \"needed-by\": " + path);
    }
    neededBy.ifPresent(
        n -> {
          if (!n.startsWith("/") || !FsPath.isNormal(n)) {
            throw new IllegalArgumentException(
                "neededBy is not a normalised absolute path: \"" + n + "\"");
          }
        });
  }

  /** An entry with these reasons and no {@code neededBy}. */
  public static ProfileEntry of(String path, EntryType type, Why... why) {
    TreeSet<Why> set = new TreeSet<>();
    Collections.addAll(set, why);
    return new ProfileEntry(path, type, set, Optional.empty());
  }

  /** A library kept because {@code neededBy} needs it. */
  public static ProfileEntry neededBy(String path, EntryType type, String neededBy) {
    return new ProfileEntry(
        path, type, new TreeSet<>(Set.of(Why.NEEDED_BY)), Optional.of(neededBy));
  }

  /** Whether this entry is a pattern rather than one path. */
  public boolean isGlob() {
    return type == EntryType.GLOB;
  }
}
