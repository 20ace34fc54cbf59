package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileEntry;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.profile.TracerKind;
import dev.skinnywhale.profile.Why;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Profiles written in code to a project's ./profiles, in a store that ships none. */
final class ProfileFixture {
  private ProfileFixture() {}

  /** A store of {@code workDir}/profiles only: the jar's shipped profiles are not seen. */
  static ProfileStore store(Path workDir) {
    return new ProfileStore(
        workDir, Optional.empty(), Optional.empty(), new URLClassLoader(new URL[0], null));
  }

  /** Writes a hand-written profile keeping {@code files}, picked by {@code markers}. */
  static void write(Path workDir, String name, List<String> markers, String... files)
      throws IOException {
    List<ProfileEntry> entries =
        Arrays.stream(files).map(f -> ProfileEntry.of(f, EntryType.FILE, Why.INCLUDE)).toList();
    Profile profile =
        new Profile(
            Profile.SCHEMA_VERSION,
            name,
            "hand-written " + name,
            Optional.empty(),
            TracerKind.HAND_WRITTEN,
            List.of(),
            markers,
            entries);
    Path dir = Files.createDirectories(workDir.resolve("profiles"));
    Files.writeString(dir.resolve(name + ".json"), new ProfileJson().write(profile));
  }
}
