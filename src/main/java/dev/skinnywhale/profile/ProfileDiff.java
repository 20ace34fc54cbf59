package dev.skinnywhale.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How the entries of two profiles differ.
 *
 * @param added entries only in the second profile, sorted by path
 * @param removed entries only in the first profile, sorted by path
 * @param changed entries of both whose type, reasons or {@code neededBy} differ, sorted by path
 */
public record ProfileDiff(
    List<ProfileEntry> added, List<ProfileEntry> removed, List<Changed> changed) {

  /** One path in both profiles, as it is in each. */
  public record Changed(ProfileEntry before, ProfileEntry after) {
    public Changed {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }

    public String path() {
      return before.path();
    }
  }

  public ProfileDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** The differences from {@code a} to {@code b}. */
  public static ProfileDiff diff(Profile a, Profile b) {
    Map<String, ProfileEntry> inA = index(a);
    Map<String, ProfileEntry> inB = index(b);
    List<ProfileEntry> added = new ArrayList<>();
    List<ProfileEntry> removed = new ArrayList<>();
    List<Changed> changed = new ArrayList<>();
    for (ProfileEntry e : a.entries()) {
      ProfileEntry other = inB.get(e.path());
      if (other == null) {
        removed.add(e);
      } else if (!other.equals(e)) {
        changed.add(new Changed(e, other));
      }
    }
    for (ProfileEntry e : b.entries()) {
      if (!inA.containsKey(e.path())) {
        added.add(e);
      }
    }
    return new ProfileDiff(added, removed, changed);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /**
   * One line per difference, sorted by path: {@code + path}, {@code - path}, {@code ~ path (why a →
   * why b)}; when the type changed too, each side names its type.
   */
  public List<String> lines() {
    TreeMap<String, String> byPath = new TreeMap<>();
    added.forEach(e -> byPath.put(e.path(), "+ " + e.path()));
    removed.forEach(e -> byPath.put(e.path(), "- " + e.path()));
    for (Changed c : changed) {
      boolean typeChanged = c.before().type() != c.after().type();
      byPath.put(
          c.path(),
          "~ "
              + c.path()
              + " ("
              + describe(c.before(), typeChanged)
              + " → "
              + describe(c.after(), typeChanged)
              + ")");
    }
    return List.copyOf(byPath.values());
  }

  private static String describe(ProfileEntry e, boolean withType) {
    String why = e.why().stream().map(Why::wireName).collect(Collectors.joining(", "));
    return (withType ? e.type().wireName() + ": " : "")
        + why
        + e.neededBy().map(n -> " by " + n).orElse("");
  }

  private static Map<String, ProfileEntry> index(Profile p) {
    Map<String, ProfileEntry> map = new TreeMap<>();
    p.entries().forEach(e -> map.put(e.path(), e));
    return map;
  }
}
