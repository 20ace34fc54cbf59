package dev.skinnywhale.tar;

import java.util.Set;

/**
 * PAX keys the tar codec interprets itself. Every other key (all {@code SCHILY.xattr.*}, vendor
 * keys) is carried in {@code NodeMeta.paxHeaders} and written back unchanged.
 */
final class PaxKeys {
  private PaxKeys() {}

  static final String PATH = "path";
  static final String LINKPATH = "linkpath";
  static final String SIZE = "size";
  static final String UID = "uid";
  static final String GID = "gid";
  static final String UNAME = "uname";
  static final String GNAME = "gname";
  static final String MTIME = "mtime";
  static final String DEVMAJOR = "SCHILY.devmajor";
  static final String DEVMINOR = "SCHILY.devminor";

  /**
   * Interpreted into the node (or deliberately dropped: atime/ctime would make output unstable).
   */
  static final Set<String> INTERPRETED =
      Set.of(
          PATH,
          LINKPATH,
          SIZE,
          UID,
          GID,
          UNAME,
          GNAME,
          MTIME,
          "atime",
          "ctime",
          "charset",
          "hdrcharset",
          "comment",
          DEVMAJOR,
          DEVMINOR,
          "SCHILY.filetype");

  static boolean isSparse(String key) {
    return key.startsWith("GNU.sparse.");
  }
}
