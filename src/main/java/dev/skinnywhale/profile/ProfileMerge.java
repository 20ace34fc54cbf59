package dev.skinnywhale.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Combines two profiles into one; the inputs are not changed. */
public final class ProfileMerge {
  private ProfileMerge() {}

  /**
   * The union of two profiles under a new name.
   *
   * <ul>
   *   <li>entries: every path of either; for a path in both, the reasons are united, the type and
   *       {@code neededBy} of {@code a} win (a path that is a file in one image and a symlink in
   *       another stays one entry);
   *   <li>commands: those of {@code a}, then those of {@code b};
   *   <li>markers and symbols: the unions;
   *   <li>source: kept when both have the same, else none;
   *   <li>tracer: kept when both have the same, else {@code hand-written} (no single trace made the
   *       result);
   *   <li>comment: names the two inputs.
   * </ul>
   */
  public static Profile merge(Profile a, Profile b, String name) {
    TreeMap<String, ProfileEntry> byPath = new TreeMap<>();
    for (ProfileEntry e : a.entries()) {
      byPath.put(e.path(), e);
    }
    for (ProfileEntry e : b.entries()) {
      byPath.merge(e.path(), e, ProfileMerge::unite);
    }
    List<RecordedCommand> commands = new ArrayList<>(a.commands());
    commands.addAll(b.commands());
    TreeSet<String> markers = new TreeSet<>(a.markers());
    markers.addAll(b.markers());
    TreeSet<String> symbols = new TreeSet<>(a.symbols());
    symbols.addAll(b.symbols());
    Optional<ProfileSource> source = a.source().equals(b.source()) ? a.source() : Optional.empty();
    TracerKind tracer = a.tracer() == b.tracer() ? a.tracer() : TracerKind.HAND_WRITTEN;
    String comment = "Merge of the profiles \"" + a.name() + "\" and \"" + b.name() + "\".";
    // A seccomp policy covers the commands of its profile only: the merge has one when both do.
    Optional<dev.skinnywhale.seccomp.SeccompPolicy> seccomp =
        a.seccomp().isPresent()
                && b.seccomp().isPresent()
                && a.seccomp().get().abis().equals(b.seccomp().get().abis())
            ? Optional.of(a.seccomp().get().union(b.seccomp().get()))
            : Optional.empty();
    return new Profile(
        Profile.SCHEMA_VERSION,
        name,
        comment,
        source,
        tracer,
        commands,
        List.copyOf(markers),
        List.copyOf(symbols),
        List.copyOf(byPath.values()),
        seccomp);
  }

  private static ProfileEntry unite(ProfileEntry first, ProfileEntry second) {
    TreeSet<Why> why = new TreeSet<>(first.why());
    why.addAll(second.why());
    Optional<String> neededBy =
        why.contains(Why.NEEDED_BY) ? first.neededBy().or(second::neededBy) : Optional.empty();
    return new ProfileEntry(first.path(), first.type(), why, neededBy);
  }
}
