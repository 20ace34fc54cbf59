package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileApplier;
import dev.skinnywhale.profile.ProfileException;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the profiles a build names, in order; "auto" adds every known one whose markers match
 * (except the symbol needs, which the imported symbols pick in every build).
 */
public record LoadProfiles(Run run, ProfileStore store) {
  /** The name that asks for every known profile whose markers match the image. */
  public static final String AUTO = "auto";

  public List<ProfileStore.Stored> load(List<String> names, RootFs fs) {
    if (names.isEmpty()) {
      return List.of();
    }
    return run.steps()
        .run("profile", "loading profiles " + String.join(", ", names), () -> pick(names, fs));
  }

  /**
   * Every known profile with symbol markers (one in ./profiles or the profile directory replaces
   * the shipped one of its name): the candidates of the symbol needs. A profile that cannot be read
   * is warned about, and then no symbol need is checked.
   */
  public List<ProfileStore.Stored> symbolNeeds() {
    try {
      return store.list().stream().filter(s -> s.profile().isSymbolNeed()).toList();
    } catch (ProfileException | java.io.UncheckedIOException e) {
      run.reporter().warn("imported symbols not checked: " + e.getMessage());
      return List.of();
    }
  }

  private List<ProfileStore.Stored> pick(List<String> names, RootFs fs) {
    Map<String, ProfileStore.Stored> out = new LinkedHashMap<>();
    for (String name : names) {
      if (!name.equals(AUTO)) {
        ProfileStore.Stored s = store.load(name);
        out.putIfAbsent(s.name(), s);
        continue;
      }
      List<ProfileStore.Stored> known = store.list();
      List<Profile> picked =
          ProfileApplier.auto(fs, known.stream().map(ProfileStore.Stored::profile).toList());
      List<String> pickedNames = picked.stream().map(Profile::name).toList();
      run.reporter()
          .info(
              "--profile auto picked: "
                  + (pickedNames.isEmpty() ? "none" : String.join(", ", pickedNames)));
      for (ProfileStore.Stored s : known) {
        // The stored profiles whose markers matched, by identity: two files may share a name.
        if (picked.stream().anyMatch(p -> p == s.profile())) {
          out.putIfAbsent(s.name(), s);
        }
      }
    }
    return List.copyOf(out.values());
  }
}
