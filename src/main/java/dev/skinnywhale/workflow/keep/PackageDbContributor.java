package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.ApkReader;
import dev.skinnywhale.packages.DpkgReader;
import dev.skinnywhale.packages.InstalledPackage;
import dev.skinnywhale.packages.PackageDb;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.List;

/**
 * {@link Reason#PACKAGE_DB}, in every strategy: the package database, so that {@code dpkg -L},
 * {@code dpkg -S} and vulnerability scanners work in the slim image — dpkg's status, its control
 * files and directories, and the info files (files lists, md5sums, conffiles) of every package that
 * owns a kept file; apk's installed database. What goes in is pruned to what the slim image keeps
 * when the layer is written ({@code PrunePackageDb}).
 */
public final class PackageDbContributor implements ExpandingContributor {
  /** dpkg's admin files besides status and info/, kept when the image has them. */
  static final List<String> DPKG_FILES =
      List.of("diversions", "statoverride", "arch", "cmethopt", "info/format");

  /** dpkg's admin directories, kept (with their small files) so that dpkg can open them. */
  static final List<String> DPKG_DIRS = List.of("updates", "triggers");

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    if (snapshot.packages().isEmpty()) {
      return;
    }
    PackageIndex index = snapshot.packages().get();
    RootFs fs = snapshot.fs();
    if (index.db().kind() == PackageDb.Kind.APK) {
      addIfPresent(plan, fs, ApkReader.INSTALLED);
      addIfPresent(plan, fs, ApkReader.WORLD);
      return;
    }
    addIfPresent(plan, fs, DpkgReader.STATUS);
    for (String name : DPKG_FILES) {
      addIfPresent(plan, fs, DpkgReader.ADMIN_DIR + "/" + name);
    }
    for (String name : DPKG_DIRS) {
      String dir = DpkgReader.ADMIN_DIR + "/" + name;
      if (fs.get(dir).orElse(null) instanceof FsNode.Directory) {
        plan.add(dir, Reason.PACKAGE_DB);
        for (FsNode n : fs.children(dir)) {
          if (n instanceof FsNode.RegularFile && !n.path().endsWith("/Lock")) {
            plan.add(n.path(), Reason.PACKAGE_DB);
          }
        }
      }
    }
    for (InstalledPackage p : PackagesContributor.ownersOfKept(fs, index, plan.build())) {
      if (p.infoName().isEmpty()) {
        continue;
      }
      for (String ext : List.of(".list", ".md5sums", ".conffiles")) {
        addIfPresent(plan, fs, DpkgReader.INFO_DIR + "/" + p.infoName() + ext);
      }
    }
  }

  private static void addIfPresent(KeepPlan.Builder plan, RootFs fs, String path) {
    if (fs.get(path).orElse(null) instanceof FsNode.RegularFile) {
      plan.add(path, Reason.PACKAGE_DB);
    }
  }
}
