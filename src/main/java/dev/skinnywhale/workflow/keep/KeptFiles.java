package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.rootfs.RootFs;
import java.util.List;

/**
 * The regular files the plan keeps so far that will be in the image: {@link
 * ClosureContributor#roots} without those an exclude drops. What the script closure and the symbol
 * needs analyse.
 */
final class KeptFiles {
  private KeptFiles() {}

  static List<String> of(RootFs fs, KeepPlan plan) {
    List<PathGlob> excludes = plan.excludes();
    return ClosureContributor.roots(fs, plan).stream()
        .filter(path -> excludes.stream().noneMatch(g -> g.matches(path)))
        .toList();
  }
}
