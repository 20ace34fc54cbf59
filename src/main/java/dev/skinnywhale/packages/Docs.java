package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsPath;
import java.util.List;

/**
 * Documentation a package ships that no program needs to run: docs, man and info pages, and message
 * catalogs (translations of messages; without them programs speak English).
 */
public final class Docs {
  private static final List<String> DIRS =
      List.of(
          "/usr/share/doc",
          "/usr/share/doc-base",
          "/usr/share/man",
          "/usr/share/info",
          "/usr/share/gtk-doc",
          "/usr/share/help",
          "/usr/share/lintian",
          "/usr/share/linda");

  private Docs() {}

  /** Whether the real path is documentation or a message catalog. */
  public static boolean isDoc(String path) {
    for (String dir : DIRS) {
      if (FsPath.isUnder(path, dir)) {
        return true;
      }
    }
    return FsPath.isUnder(path, "/usr/share/locale")
        && path.contains("/LC_MESSAGES/")
        && path.endsWith(".mo");
  }
}
