package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.Reporter;

/**
 * {@link Reason#TRACED}: every node the probes used, as {@link TracedPaths} resolved it — files
 * whole, directories that were listed or that something was made in alone (without contents), the
 * programs the probes ran — with the symlinks on the way.
 */
public final class TracedContributor implements KeepContributor {
  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    TracedPaths traced = snapshot.traced();
    for (TracedPaths.Entry e : traced.entries().values()) {
      plan.addResolved(e.hops().stream().toList(), e.path(), Reason.TRACED);
    }
    traced.strayHops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
  }
}
