package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.List;

/**
 * {@link Reason#BASICS}, in every strategy: the base-image files every program expects, small and
 * never in a change set — without /etc/passwd {@code getpwuid(0)} fails (git finds no identity,
 * node's {@code os.userInfo()} throws), without the loader's cache {@code ctypes.util.find_library}
 * finds nothing, without the C.UTF-8 locale and /etc/localtime programs fall back to ASCII and UTC.
 * What the image lacks is skipped.
 */
public final class RuntimeBasicsContributor implements KeepContributor {
  /** Files (symlinks followed, each hop kept). */
  static final List<String> FILES =
      List.of(
          "/etc/passwd",
          "/etc/group",
          "/etc/nsswitch.conf",
          "/etc/host.conf",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/sbin/ldconfig",
          "/etc/localtime");

  /** Directories kept with their contents. */
  static final List<String> TREES =
      List.of("/etc/ld.so.conf.d", "/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8");

  /** Directories kept empty, with their modes (sticky /tmp). */
  static final List<String> EMPTY_DIRS = List.of("/tmp", "/var/tmp");

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    for (String path : FILES) {
      Resolution r = fs.resolve(path);
      if (r.found() && !(r.node().orElseThrow() instanceof FsNode.Directory)) {
        plan.addResolved(r, Reason.BASICS);
      }
    }
    for (String path : TREES) {
      Resolution r = fs.resolve(path);
      if (r.found() && r.node().orElseThrow() instanceof FsNode.Directory) {
        plan.addResolved(r, Reason.BASICS);
        plan.addRecursive(r.finalPath(), Reason.BASICS);
      }
    }
    for (String path : EMPTY_DIRS) {
      Resolution r = fs.resolve(path);
      if (r.found() && r.node().orElseThrow() instanceof FsNode.Directory) {
        plan.addResolved(r, Reason.BASICS);
      }
    }
  }
}
