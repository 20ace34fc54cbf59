package dev.skinnywhale.rootfs;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The metadata of a filesystem node as the image's tar stream carried it.
 *
 * @param mode permission and special bits (07777), without the file type
 * @param uid numeric owner
 * @param gid numeric group
 * @param userName owner name from the tar header ("" when absent)
 * @param groupName group name from the tar header ("" when absent)
 * @param mtime modification time
 * @param paxHeaders PAX headers to carry over unchanged, e.g. {@code
 *     SCHILY.xattr.security.capability}
 */
public record NodeMeta(
    int mode,
    long uid,
    long gid,
    String userName,
    String groupName,
    Instant mtime,
    Map<String, String> paxHeaders) {

  public NodeMeta {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(groupName, "groupName");
    Objects.requireNonNull(mtime, "mtime");
    paxHeaders = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(paxHeaders));
  }

  /** root:root with the given mode at the epoch; for synthesised parent directories and tests. */
  public static NodeMeta of(int mode) {
    return new NodeMeta(mode, 0, 0, "", "", Instant.EPOCH, Map.of());
  }
}
