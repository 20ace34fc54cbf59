package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Objects;

/**
 * The keep-plan: every contributor of the build adds what it wants kept, in order; then the static
 * closure of all of it is resolved and added.
 */
public record Plan(Run run) {
  /**
   * The plan and its closure.
   *
   * @param plan every path to keep, with its reasons, and the excludes
   * @param closure the static closure that was added, with what could not be resolved
   */
  public record Planned(KeepPlan plan, Closure closure) {
    public Planned {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(closure, "closure");
    }

    /** Paths of the change set that were kept (after the default excludes). */
    public int changeSetSize() {
      return (int)
          plan.entries().values().stream()
              .filter(e -> e.reasons().contains(Reason.CHANGE_SET))
              .count();
    }
  }

  public Planned make(
      Snapshot snapshot, List<KeepContributor> contributors, ClosureContributor closure) {
    KeepPlan.Builder plan = KeepPlan.builder();
    for (KeepContributor c : contributors) {
      c.contribute(snapshot, plan, run.reporter());
    }
    if (plan.build().entries().isEmpty()) {
      throw new UnusableInputException(
          "nothing to keep: the change set is empty and no profile or --include names a file");
    }
    Closure resolved =
        run.steps()
            .run(
                "resolve",
                "resolving shared libraries",
                () -> closure.resolve(snapshot, plan, run.reporter()));
    return new Planned(plan.build(), resolved);
  }
}
