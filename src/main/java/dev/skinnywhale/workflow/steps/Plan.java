package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.ExpandingContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Objects;

/**
 * The keep-plan: every contributor of the build adds what it wants kept, in order; then the static
 * closure of all of it is resolved and added. Contributors that expand on what is kept ({@link
 * ExpandingContributor}) are asked after the closure; when they add something, its closure is
 * resolved and they are asked again, until the plan stops growing — so a file kept by expansion
 * brings its closure, and that closure what the expanding contributors add for it.
 */
public record Plan(Run run) {
  /** Rounds of closure and expansion at most; real images settle in two or three. */
  public static final int MAX_ROUNDS = 16;

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
    List<KeepContributor> expanding =
        contributors.stream().filter(c -> c instanceof ExpandingContributor).toList();
    for (KeepContributor c : contributors) {
      if (!(c instanceof ExpandingContributor)) {
        c.contribute(snapshot, plan, run.reporter());
      }
    }
    if (plan.build().entries().isEmpty()) {
      throw new UnusableInputException(
          "nothing to keep: the change set is empty and no profile or --include names a file");
    }
    Closure resolved =
        run.steps().run("resolve", "resolving shared libraries", () -> closure.add(snapshot, plan));
    if (!expanding.isEmpty()) {
      Closure first = resolved;
      resolved =
          run.steps()
              .run(
                  "expand",
                  "adding what kept files bring with them",
                  () -> expand(snapshot, plan, expanding, closure, first));
    }
    return new Planned(plan.build(), closure.report(snapshot, plan, resolved, run.reporter()));
  }

  /**
   * Expansion and closure in turn, to a fixed point: when the expanding contributors add nothing,
   * the last closure is that of the whole plan.
   */
  private Closure expand(
      Snapshot snapshot,
      KeepPlan.Builder plan,
      List<KeepContributor> expanding,
      ClosureContributor closure,
      Closure resolved) {
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      KeepPlan before = plan.build();
      for (KeepContributor c : expanding) {
        c.contribute(snapshot, plan, run.reporter());
      }
      if (plan.build().entries().equals(before.entries())) {
        run.reporter().debug("the keep-plan settled after " + round + " rounds of expansion");
        return resolved;
      }
      resolved = closure.add(snapshot, plan);
    }
    run.reporter()
        .warn("the keep-plan still grew after " + MAX_ROUNDS + " rounds of expansion; stopped");
    return resolved;
  }
}
