package dev.skinnywhale.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Collects what a trace found and freezes it into a {@link Profile}. The result depends only on
 * what was added, not on the order (except for commands, which keep theirs): the same trace gives
 * the same profile, byte for byte once written.
 *
 * <p>Adding a path twice unites the reasons; the first type given wins; of several {@code neededBy}
 * files the smallest path is kept.
 */
public final class ProfileBuilder {
  private final String name;
  private final TracerKind tracer;
  private Optional<ProfileSource> source = Optional.empty();
  private Optional<String> comment = Optional.empty();
  private final List<RecordedCommand> commands = new ArrayList<>();
  private final TreeSet<String> markers = new TreeSet<>();
  private final TreeMap<String, Pending> entries = new TreeMap<>();

  private static final class Pending {
    final EntryType type;
    final TreeSet<Why> why = new TreeSet<>();
    String neededBy;

    Pending(EntryType type) {
      this.type = type;
    }
  }

  public ProfileBuilder(String name, TracerKind tracer) {
    Profile.checkName(Objects.requireNonNull(name, "name"));
    this.name = name;
    this.tracer = Objects.requireNonNull(tracer, "tracer");
  }

  /** The image the trace ran in. */
  public ProfileBuilder source(ProfileSource source) {
    this.source = Optional.of(source);
    return this;
  }

  /** Replaces the generated comment. */
  public ProfileBuilder comment(String comment) {
    this.comment = Optional.of(comment);
    return this;
  }

  /** A command that was traced, in the order they ran. */
  public ProfileBuilder command(String run, int exitCode) {
    return command(run, exitCode, List.of());
  }

  /** A command that was traced with these {@code docker run} options. */
  public ProfileBuilder command(String run, int exitCode, List<String> options) {
    commands.add(new RecordedCommand(run, exitCode, options));
    return this;
  }

  public ProfileBuilder marker(String pattern) {
    ProfileGlob.check(pattern);
    markers.add(pattern);
    return this;
  }

  /** A path with one or more reasons (not {@link Why#NEEDED_BY}: use {@link #neededBy}). */
  public ProfileBuilder add(String path, EntryType type, Why first, Why... more) {
    TreeSet<Why> why = new TreeSet<>(List.of(more));
    why.add(first);
    if (why.contains(Why.NEEDED_BY)) {
      throw new IllegalArgumentException("needed-by needs the file that needs it: " + path);
    }
    entries.computeIfAbsent(path, k -> new Pending(type)).why.addAll(why);
    return this;
  }

  /** A library kept because the ELF file {@code by} needs it. */
  public ProfileBuilder neededBy(String path, EntryType type, String by) {
    Objects.requireNonNull(by, "by");
    Pending p = entries.computeIfAbsent(path, k -> new Pending(type));
    p.why.add(Why.NEEDED_BY);
    if (p.neededBy == null || by.compareTo(p.neededBy) < 0) {
      p.neededBy = by;
    }
    return this;
  }

  /** An entry as it is (reasons united with what is there). */
  public ProfileBuilder add(ProfileEntry entry) {
    entry.neededBy().ifPresent(by -> neededBy(entry.path(), entry.type(), by));
    for (Why w : entry.why()) {
      if (w != Why.NEEDED_BY) {
        add(entry.path(), entry.type(), w);
      }
    }
    return this;
  }

  /** Every entry, as {@link #add(ProfileEntry)}. */
  public ProfileBuilder addAll(Iterable<ProfileEntry> all) {
    all.forEach(this::add);
    return this;
  }

  /**
   * The profile. Without a {@link #comment}, one is generated from the tracer, the source and the
   * commands (no time, no host path).
   */
  public Profile build() {
    List<ProfileEntry> list = new ArrayList<>();
    entries.forEach(
        (path, p) ->
            list.add(new ProfileEntry(path, p.type, p.why, Optional.ofNullable(p.neededBy))));
    return new Profile(
        Profile.SCHEMA_VERSION,
        name,
        comment.orElseGet(this::generatedComment),
        source,
        tracer,
        commands,
        List.copyOf(markers),
        list);
  }

  private String generatedComment() {
    StringBuilder c =
        new StringBuilder("Traced by skinnywhale (").append(tracer.wireName()).append(')');
    source.ifPresent(
        s ->
            c.append(" in ")
                .append(s.reference().map(r -> r + " (" + s.image() + ")").orElse(s.image())));
    if (!commands.isEmpty()) {
      c.append(" running: ")
          .append(commands.stream().map(RecordedCommand::run).collect(Collectors.joining("; ")));
    }
    if (tracer == TracerKind.LD_DEBUG) {
      c.append(". Libraries only: LD_DEBUG does not see data files");
    }
    return c.append('.').toString();
  }
}
