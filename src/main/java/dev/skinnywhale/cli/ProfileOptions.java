package dev.skinnywhale.cli;

import dev.skinnywhale.profile.ProfileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where profiles come from and which ones a build uses. */
public final class ProfileOptions {
  @Option(
      names = "--profile",
      paramLabel = "NAME|FILE",
      description =
          "Keep what this profile names as well (repeatable). A name is looked up in"
              + " ./profiles, then the user's profile directory, then the profiles shipped with"
              + " skinnywhale; 'auto' picks every known profile whose markers the image has.")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--strict",
      description = "A profile entry missing from the image ends the build (exit code 5).")
  boolean strict;

  @Option(
      names = "--profiles-dir",
      paramLabel = "DIR",
      description = "The user's profile directory (default: ~/.skinnywhale/profiles).")
  Path profilesDir;

  ProfileStore store(CliContext context, Path workDir) {
    Optional<Path> home =
        Optional.ofNullable(context.env().get("HOME")).filter(h -> !h.isBlank()).map(Path::of);
    return new ProfileStore(
        workDir, home, Optional.ofNullable(profilesDir), ProfileOptions.class.getClassLoader());
  }
}
