package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.workflow.run.Reporter;

/**
 * One reason to keep something in the slim image. The plan step asks each contributor of a build,
 * in order, to add what it wants kept; a new way of deciding what to keep is one more contributor,
 * never an edit to a use case. A contributor reads the snapshot and adds to the plan, nothing else.
 */
public interface KeepContributor {
  void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter);
}
