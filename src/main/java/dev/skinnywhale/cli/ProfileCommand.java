package dev.skinnywhale.cli;

import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileDiff;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileMerge;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.workflow.run.OutputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skinnywhale profile list|show|diff|merge}: look at and combine saved profiles. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lists, shows, compares and merges profiles: what a trace found, saved for later builds.",
      "A NAME is looked up in ./profiles, then the user's profile directory"
          + " (~/.skinnywhale/profiles or --profiles-dir), then the profiles shipped with"
          + " skinnywhale; a value ending in .json or containing '/' is a file.",
      ""
    })
public final class ProfileCommand implements Callable<Integer> {
  private final CliContext context;
  private final Path workDir;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--profiles-dir",
      paramLabel = "DIR",
      scope = CommandLine.ScopeType.INHERIT,
      description = "The user's profile directory (default: ~/.skinnywhale/profiles).")
  Path profilesDir;

  @Mixin CommonOptions common;

  public ProfileCommand(CliContext context) {
    this(context, Path.of(""));
  }

  /** For tests: a working directory other than the process's. */
  public ProfileCommand(CliContext context, Path workDir) {
    this.context = Objects.requireNonNull(context, "context");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(context.out());
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "Every profile found, the first one for each name.")
  int list() {
    List<ProfileStore.Stored> all = store().list();
    int nameWidth = "NAME".length();
    int originWidth = "WHERE".length();
    for (ProfileStore.Stored s : all) {
      nameWidth = Math.max(nameWidth, s.name().length());
      originWidth = Math.max(originWidth, s.origin().label().length());
    }
    String format = "%-" + nameWidth + "s  %-" + originWidth + "s  %s%n";
    context.out().printf(format, "NAME", "WHERE", "COMMENT");
    for (ProfileStore.Stored s : all) {
      context
          .out()
          .printf(format, s.name(), s.origin().label(), firstSentence(s.profile().comment()));
    }
    return ExitCodes.OK;
  }

  @Command(name = "show", description = "Print a profile as canonical JSON.")
  int show(@Parameters(paramLabel = "NAME", description = "Profile name or file.") String name) {
    ProfileStore.Stored stored = store().load(name);
    context.err().println("# " + stored.location() + " (" + stored.origin().label() + ")");
    context.out().print(new ProfileJson().write(stored.profile()));
    return ExitCodes.OK;
  }

  @Command(
      name = "diff",
      description = {
        "How the entries of B differ from those of A, sorted by path:",
        "'+ path' only in B, '- path' only in A, '~ path (why in A → why in B)' changed."
      })
  int diff(
      @Parameters(index = "0", paramLabel = "A") String a,
      @Parameters(index = "1", paramLabel = "B") String b) {
    ProfileStore store = store();
    ProfileDiff diff = ProfileDiff.diff(store.load(a).profile(), store.load(b).profile());
    diff.lines().forEach(context.out()::println);
    if (diff.isEmpty()) {
      context.err().println("# the entries of " + a + " and " + b + " are the same");
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "merge",
      description = "Write the union of A and B (entries, commands, markers) to FILE.")
  int merge(
      @Parameters(index = "0", paramLabel = "A") String a,
      @Parameters(index = "1", paramLabel = "B") String b,
      @Option(
              names = {"-o", "--output"},
              required = true,
              paramLabel = "FILE",
              description = "The merged profile's file.")
          Path output,
      @Option(
              names = "--name",
              paramLabel = "N",
              description = "Its name (default: FILE without .json).")
          String name)
      throws IOException {
    ProfileStore store = store();
    Path file = workDir.resolve(output);
    OutputFile.check(file);
    String fileName = file.getFileName().toString();
    String merged =
        Optional.ofNullable(name)
            .orElse(
                fileName.endsWith(".json")
                    ? fileName.substring(0, fileName.length() - 5)
                    : fileName);
    try {
      Profile.checkName(merged);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + "; use --name");
    }
    Profile result = ProfileMerge.merge(store.load(a).profile(), store.load(b).profile(), merged);
    String text = new ProfileJson().write(result);
    OutputFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    context
        .out()
        .println(
            output
                + ": "
                + result.entries().size()
                + " entries, "
                + result.markers().size()
                + " markers, "
                + result.commands().size()
                + " commands");
    return ExitCodes.OK;
  }

  private ProfileStore store() {
    Optional<Path> home =
        Optional.ofNullable(context.env().get("HOME")).filter(h -> !h.isBlank()).map(Path::of);
    return new ProfileStore(
        workDir, home, Optional.ofNullable(profilesDir), ProfileCommand.class.getClassLoader());
  }

  private static String firstSentence(String comment) {
    String line = comment.lines().findFirst().orElse("");
    int stop = line.indexOf(". ");
    String s = stop < 0 ? line : line.substring(0, stop + 1);
    return s.length() > 100 ? s.substring(0, 99) + "…" : s;
  }
}
