package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the probe containers had mounted from outside the image ({@code -v}, {@code --mount} bind
 * and volume mounts) is never kept: their targets, and everything below them, are excluded from the
 * slim image, except a directory a kept file needs on its way. The engine makes a mount's target
 * when it is missing, so the slim image runs with the same mounts.
 */
public final class MountContributor implements KeepContributor {
  private final List<String> targets;

  /** The targets of the bind and volume mounts (absolute, normalised). */
  public MountContributor(List<String> targets) {
    this.targets = List.copyOf(targets);
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    for (String target : paths(snapshot.fs(), targets)) {
      plan.exclude(new PathGlob(literal(target)));
    }
  }

  /**
   * The targets as given and as the image resolves them (the engine follows the image's symlinks to
   * a mount's target, and traces name real paths): both are "under a mount".
   */
  public static List<String> paths(RootFs fs, List<String> targets) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : targets) {
      String path = FsPath.normalize(FsPath.fromText(t));
      out.add(path);
      Resolution r = fs.resolve(path);
      if (r.found()) {
        out.add(r.finalPath());
        continue;
      }
      // A target that is not in the image yet: its nearest existing ancestor may be a symlink.
      List<String> ancestors = FsPath.ancestors(path);
      for (int i = ancestors.size() - 1; i >= 1; i--) {
        Resolution dir = fs.resolve(ancestors.get(i));
        if (dir.found()) {
          String rest = path.substring(ancestors.get(i).length());
          out.add(FsPath.normalize(dir.finalPath() + rest));
          break;
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** A path as a glob that matches only itself (and what is below it). */
  static String literal(String path) {
    StringBuilder b = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
