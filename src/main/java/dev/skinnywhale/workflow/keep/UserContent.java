package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.FsPath;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Stream;

/**
 * What the user added, as the user-file and change-set-directory rules see it: the change set when
 * it is what was added above a base; for an image without --base (whole image), the nodes no
 * package lists — which only a package database can tell, so without one there is none.
 */
final class UserContent {
  /** The package manager's state, caches, logs and scratch space: never the user's own. */
  static final List<PathGlob> STATE =
      List.of(
          new PathGlob("/var/lib/dpkg"),
          new PathGlob("/var/lib/apt"),
          new PathGlob("/var/lib/ucf"),
          new PathGlob("/var/lib/python/*_installed"),
          new PathGlob("/lib/apk/db"),
          new PathGlob("/var/lib/rpm"),
          new PathGlob("/var/lib/dnf"),
          new PathGlob("/var/lib/yum"),
          new PathGlob("/var/cache"),
          new PathGlob("/var/log"),
          new PathGlob("/tmp/*"),
          new PathGlob("/var/tmp/*"),
          new PathGlob("/run/*"),
          new PathGlob("/var/run/*"),
          new PathGlob("/root/.cache"),
          new PathGlob("/home/*/.cache"),
          new PathGlob("/etc/.pwd.lock"),
          new PathGlob("/var/lib/systemd"),
          new PathGlob("/var/lib/pam"),
          // Service enablement (update-rc.d, deb-systemd-helper): links to init scripts.
          new PathGlob("/etc/rc[0-6S].d"),
          new PathGlob("/etc/systemd/system/*.wants"));

  /**
   * Caches that package triggers regenerate from the packages' own files (the MIME database, icon
   * and module caches): data of the packages, not the user's. Python byte code counts as its
   * source's package ({@code PackageIndex#owners}).
   */
  static final List<PathGlob> GENERATED =
      List.of(
          new PathGlob("/usr/share/mime/*"),
          new PathGlob("/usr/share/icons/*/icon-theme.cache"),
          new PathGlob("/usr/share/glib-2.0/schemas/gschemas.compiled"),
          new PathGlob("/usr/lib/*/gio/modules/giomodule.cache"),
          new PathGlob("/usr/lib/*/gdk-pixbuf-2.0/*/loaders.cache"),
          new PathGlob("/usr/share/info/dir"));

  /** Trees of the kernel and the engine, whatever an archive holds there. */
  static final List<String> VIRTUAL = List.of("/proc", "/sys", "/dev");

  private UserContent() {}

  /**
   * The candidate paths, sorted; empty when they cannot be told (a whole image without a package
   * database).
   */
  static Optional<Stream<String>> candidates(Snapshot snapshot) {
    Optional<SortedSet<String>> changes = snapshot.changeSet();
    if (changes.isEmpty()) {
      return Optional.empty();
    }
    Stream<String> paths =
        changes.get().stream().filter(p -> VIRTUAL.stream().noneMatch(v -> FsPath.isUnder(p, v)));
    if (snapshot.aboveBase()) {
      return Optional.of(paths);
    }
    Optional<PackageIndex> index = snapshot.packages();
    if (index.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(paths.filter(p -> !index.get().listed(p)));
  }

  /**
   * Package state, caches, logs, scratch, regenerated caches; with the default excludes, also docs.
   */
  static boolean isState(String path, boolean defaultExcludes) {
    if (STATE.stream().anyMatch(g -> g.matches(path))
        || GENERATED.stream().anyMatch(g -> g.matches(path))) {
      return true;
    }
    return defaultExcludes && KeepPlan.DEFAULT_EXCLUDES.stream().anyMatch(g -> g.matches(path));
  }
}
