package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileApplier;
import dev.skinnywhale.profile.ProfileSource;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Optional;

/**
 * {@link Reason#PROFILE}: what each profile names and the image has. Entries are re-checked against
 * this image (a profile made from another image may name paths this one lacks): missing ones are
 * warned about, or with {@code strict} end the build.
 */
public final class ProfileContributor implements KeepContributor {
  private final List<ProfileStore.Stored> profiles;
  private final boolean strict;

  public ProfileContributor(List<ProfileStore.Stored> profiles, boolean strict) {
    this.profiles = List.copyOf(profiles);
    this.strict = strict;
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    String reference = snapshot.source().reference();
    for (ProfileStore.Stored stored : profiles) {
      Profile profile = stored.profile();
      Optional<ProfileSource> from = profile.source();
      if (from.isPresent() && !from.get().image().equals(snapshot.source().imageId())) {
        reporter.debug(
            "profile "
                + profile.name()
                + " was made from "
                + from.get().image()
                + "; its entries are re-checked against "
                + reference);
      }
      ProfileApplier.Applied applied = ProfileApplier.apply(snapshot.fs(), profile);
      List<String> missing = applied.missing();
      if (!missing.isEmpty()) {
        String what =
            "profile "
                + profile.name()
                + " ("
                + stored.location()
                + "): "
                + missing.size()
                + " entries not in "
                + reference
                + ": "
                + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                + (missing.size() > 5 ? ", ..." : "");
        if (strict) {
          throw new UnusableInputException(what);
        }
        reporter.warn(what);
      }
      applied.paths().forEach(path -> plan.add(path, Reason.PROFILE));
    }
  }
}
