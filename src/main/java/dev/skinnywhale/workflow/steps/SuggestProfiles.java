package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileApplier;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.List;

/**
 * A static slim cannot see what programs load at run time (NSS modules, time zones, certificates):
 * when a known profile matches the image and names files the plan does not keep, says which
 * profiles --profile auto would add. Reading only: the plan is not changed.
 */
public record SuggestProfiles(Reporter reporter, ProfileStore store) {

  public void suggest(RootFs fs, KeepPlan plan) {
    try {
      List<String> useful = new ArrayList<>();
      List<Profile> known = store.list().stream().map(ProfileStore.Stored::profile).toList();
      for (Profile profile : ProfileApplier.auto(fs, known)) {
        var applied = ProfileApplier.apply(fs, profile);
        if (applied.paths().stream()
            .anyMatch(
                p ->
                    !plan.entries().containsKey(p)
                        && fs.get(p).filter(n -> n instanceof FsNode.RegularFile).isPresent())) {
          useful.add(profile.name());
        }
      }
      if (!useful.isEmpty()) {
        reporter.info(
            "note: the static closure does not see files loaded at run time; --profile auto would"
                + " also keep those of: "
                + String.join(", ", useful)
                + " (or run `skinnywhale trace`)");
      }
    } catch (RuntimeException e) {
      reporter.debug("no profile suggestion: " + e.getMessage());
    }
  }
}
