package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.List;
import java.util.SortedSet;

/**
 * {@link Reason#CHANGE_SET}: what the container (or the image above --base) added or changed. The
 * files of package caches, logs and docs ({@link KeepPlan#DEFAULT_EXCLUDES}) are left out unless
 * the user turned that off or included them; their directories stay (empty): a program may write
 * its log or cache there.
 */
public final class ChangeSetContributor implements KeepContributor {
  private final boolean defaultExcludes;
  private final List<PathGlob> includes;

  /**
   * @param defaultExcludes whether the default excludes apply
   * @param includes the user's --include globs (as typed), which beat the default excludes
   */
  public ChangeSetContributor(boolean defaultExcludes, List<String> includes) {
    this.defaultExcludes = defaultExcludes;
    this.includes = includes.stream().map(FsPath::fromText).map(PathGlob::new).toList();
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    SortedSet<String> changes =
        snapshot
            .changeSet()
            .orElseThrow(() -> new IllegalStateException("the change set was not taken"));
    int kept = 0;
    for (String path : changes) {
      if (keeps(snapshot, path)) {
        plan.add(path, Reason.CHANGE_SET);
        kept++;
      }
    }
    reporter.debug(
        changes.size() + " paths in the change set, " + kept + " after the default excludes");
  }

  private boolean keeps(Snapshot snapshot, String path) {
    if (!defaultExcludes || KeepPlan.DEFAULT_EXCLUDES.stream().noneMatch(g -> g.matches(path))) {
      return true;
    }
    return includes.stream().anyMatch(g -> g.matches(path))
        || snapshot.fs().get(path).filter(n -> n instanceof FsNode.Directory).isPresent();
  }
}
