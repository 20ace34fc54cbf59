package dev.skinnywhale.profile;

import dev.skinnywhale.profile.ProfileWire.CommandWire;
import dev.skinnywhale.profile.ProfileWire.EntryWire;
import dev.skinnywhale.profile.ProfileWire.SeccompWire;
import dev.skinnywhale.profile.ProfileWire.SourceWire;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallAbi;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Translates between the wire form ({@link ProfileWire}, schemaVersion 1 and 2) and the domain
 * records: every field checked on the way in, with errors that name the field ({@code
 * entries[3].why}); paths are UTF-8 text on the wire and byte strings (one char per byte) in the
 * domain.
 */
final class ProfileWireTranslator {
  private ProfileWireTranslator() {}

  /** The domain profile of a bound wire form; errors name {@code source} and the field. */
  static Profile fromWire(String source, ProfileWire w) {
    String name = required(source, w.name, "name");
    String tracerName = required(source, w.tracer, "tracer");
    TracerKind tracer =
        TracerKind.fromWire(tracerName)
            .orElseThrow(
                () ->
                    new ProfileException(
                        source,
                        "unknown tracer \""
                            + tracerName
                            + "\" (ptrace, ld-debug or hand-written)"));
    Optional<ProfileSource> src = Optional.empty();
    if (w.source != null) {
      SourceWire s = w.source;
      try {
        src =
            Optional.of(
                new ProfileSource(
                    required(source, s.image, "source.image"),
                    Optional.ofNullable(s.reference),
                    Optional.ofNullable(s.architecture)));
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, "source: " + e.getMessage());
      }
    }
    List<RecordedCommand> commands = new ArrayList<>();
    List<CommandWire> cws = w.commands == null ? List.of() : w.commands;
    for (int i = 0; i < cws.size(); i++) {
      CommandWire c = cws.get(i);
      String at = "commands[" + i + "]";
      if (c == null) {
        throw new ProfileException(source, at + " is null");
      }
      try {
        List<String> options = c.options == null ? List.of() : c.options;
        for (int j = 0; j < options.size(); j++) {
          if (options.get(j) == null) {
            throw new ProfileException(source, at + ".options[" + j + "] is null");
          }
        }
        commands.add(
            new RecordedCommand(
                required(source, c.run, at + ".run"),
                requiredInt(source, c.exitCode, at + ".exitCode"),
                options));
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, at + ": " + e.getMessage());
      }
    }
    // Paths are UTF-8 text in JSON and byte strings (one char per byte) in the domain.
    List<String> markers =
        w.markers == null
            ? List.of()
            : w.markers.stream().map(m -> m == null ? null : FsPath.fromText(m)).toList();
    for (int i = 0; i < markers.size(); i++) {
      String at = "markers[" + i + "]";
      try {
        ProfileGlob.check(required(source, markers.get(i), at));
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, at + ": " + e.getMessage());
      }
    }
    int version = requiredInt(source, w.schemaVersion, "schemaVersion");
    List<String> symbols = w.symbols == null ? List.of() : w.symbols;
    if (w.symbols != null && version < 2) {
      throw new ProfileException(
          source, "\"symbols\" needs schemaVersion 2 (this is " + version + ")");
    }
    for (int i = 0; i < symbols.size(); i++) {
      String at = "symbols[" + i + "]";
      try {
        SymbolPattern.check(required(source, symbols.get(i), at));
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, at + ": " + e.getMessage());
      }
    }
    if (w.entries == null) {
      throw new ProfileException(source, "missing \"entries\"");
    }
    List<ProfileEntry> entries = new ArrayList<>();
    for (int i = 0; i < w.entries.size(); i++) {
      entries.add(entry(source, "entries[" + i + "]", w.entries.get(i)));
    }
    Optional<SeccompPolicy> seccomp =
        w.seccomp == null ? Optional.empty() : Optional.of(seccomp(source, w.seccomp));
    try {
      return new Profile(
          version,
          name,
          w.comment == null ? "" : w.comment,
          src,
          tracer,
          commands,
          markers,
          symbols,
          entries,
          seccomp);
    } catch (IllegalArgumentException e) {
      throw new ProfileException(source, e.getMessage());
    }
  }

  private static SeccompPolicy seccomp(String source, SeccompWire s) {
    if (s.architectures == null || s.architectures.isEmpty()) {
      throw new ProfileException(source, "seccomp: missing \"architectures\"");
    }
    List<SyscallAbi> abis = new ArrayList<>();
    for (String a : s.architectures) {
      abis.add(
          java.util.Arrays.stream(SyscallAbi.values())
              .filter(x -> x.scmpArch().equals(a))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ProfileException(
                          source, "seccomp.architectures: unknown architecture \"" + a + "\"")));
    }
    try {
      return new SeccompPolicy(
          abis,
          new TreeSet<>(requiredList(source, s.allow, "seccomp.allow")),
          new TreeSet<>(s.enosys == null ? List.of() : s.enosys));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProfileException(source, "seccomp: " + e.getMessage());
    }
  }

  private static List<String> requiredList(String source, List<String> value, String field) {
    if (value == null) {
      throw new ProfileException(source, "missing \"" + field + "\"");
    }
    return value;
  }

  private static ProfileEntry entry(String source, String at, EntryWire e) {
    if (e == null) {
      throw new ProfileException(source, at + " is null");
    }
    String path = FsPath.fromText(required(source, e.path, at + ".path"));
    String typeName = required(source, e.type, at + ".type");
    String where = at + " (" + path + ")";
    EntryType type =
        EntryType.fromWire(typeName)
            .orElseThrow(
                () ->
                    new ProfileException(
                        source,
                        where
                            + ": unknown type \""
                            + typeName
                            + "\" (file, dir, symlink or glob)"));
    if (e.why == null || e.why.isEmpty()) {
      throw new ProfileException(source, where + ": missing \"why\"");
    }
    TreeSet<Why> why = new TreeSet<>();
    for (String w : e.why) {
      if (w == null) {
        throw new ProfileException(source, where + ": null in \"why\"");
      }
      why.add(
          Why.fromWire(w)
              .orElseThrow(
                  () ->
                      new ProfileException(
                          source,
                          where
                              + ": unknown why \""
                              + w
                              + "\" (opened, exec, stat, readlink, listed, symlink-hop,"
                              + " needed-by, include)")));
    }
    try {
      return new ProfileEntry(
          path, type, why, Optional.ofNullable(e.neededBy).map(FsPath::fromText));
    } catch (IllegalArgumentException x) {
      throw new ProfileException(source, where + ": " + x.getMessage());
    }
  }

  private static String required(String source, String value, String field) {
    if (value == null) {
      throw new ProfileException(source, "missing \"" + field + "\"");
    }
    return value;
  }

  private static int requiredInt(String source, Integer value, String field) {
    if (value == null) {
      throw new ProfileException(source, "missing \"" + field + "\"");
    }
    return value;
  }

  /** The wire form of a profile, for Jackson to write. */
  static ProfileWire toWire(Profile p) {
    ProfileWire w = new ProfileWire();
    w.schemaVersion = p.schemaVersion();
    w.name = p.name();
    w.comment = p.comment();
    p.source()
        .ifPresent(
            s -> {
              w.source = new SourceWire();
              w.source.image = s.image();
              w.source.reference = s.reference().orElse(null);
              w.source.architecture = s.architecture().orElse(null);
            });
    w.tracer = p.tracer().wireName();
    w.commands = new ArrayList<>();
    for (RecordedCommand c : p.commands()) {
      CommandWire cw = new CommandWire();
      cw.run = c.run();
      cw.exitCode = c.exitCode();
      cw.options = c.options().isEmpty() ? null : c.options();
      w.commands.add(cw);
    }
    w.markers = p.markers().stream().map(FsPath::toText).toList();
    w.symbols = p.symbols().isEmpty() ? null : p.symbols();
    w.entries = new ArrayList<>();
    for (ProfileEntry e : p.entries()) {
      EntryWire ew = new EntryWire();
      ew.path = FsPath.toText(e.path());
      ew.type = e.type().wireName();
      ew.why = e.why().stream().map(Why::wireName).toList();
      ew.neededBy = e.neededBy().map(FsPath::toText).orElse(null);
      w.entries.add(ew);
    }
    p.seccomp()
        .ifPresent(
            s -> {
              w.seccomp = new SeccompWire();
              w.seccomp.architectures = s.abis().stream().map(SyscallAbi::scmpArch).toList();
              w.seccomp.allow = List.copyOf(s.allowed());
              w.seccomp.enosys = s.enosys().isEmpty() ? null : List.copyOf(s.enosys());
            });
    return w;
  }
}
