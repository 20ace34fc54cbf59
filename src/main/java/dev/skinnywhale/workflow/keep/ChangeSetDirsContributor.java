package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.workflow.run.Reporter;

/**
 * {@link Reason#CHANGE_SET_DIR}, in every strategy: the directories of the change set (for an image
 * without --base, those no package lists), kept with their owner and mode and empty where their
 * files are not kept — a service's postinst makes {@code /var/log/NAME} or {@code /var/lib/NAME}
 * and the service refuses to start without it.
 */
public final class ChangeSetDirsContributor implements KeepContributor {
  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    var candidates = UserContent.candidates(snapshot);
    if (candidates.isEmpty()) {
      return;
    }
    candidates
        .get()
        .filter(p -> snapshot.fs().get(p).orElse(null) instanceof FsNode.Directory)
        .forEach(p -> plan.add(p, Reason.CHANGE_SET_DIR));
  }
}
