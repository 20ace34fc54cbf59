package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.NodeMeta;
import java.util.Objects;

/**
 * One member of a tar stream as the safe reader decoded it: PAX and GNU long names applied, the
 * name confined and normalised to an absolute path, hard-link targets too.
 *
 * @param path the normalised absolute path ("/" for the root)
 * @param type what the entry is
 * @param size the bytes of data that follow its header in the stream (a file's content)
 * @param meta mode, owner, mtime and the PAX records not interpreted by the reader
 * @param link a hard link's normalised target or a symlink's verbatim target; "" for other types
 * @param devMajor a device's major number; 0 for other types
 * @param devMinor a device's minor number; 0 for other types
 */
public record TarEntry(
    String path, Type type, long size, NodeMeta meta, String link, int devMajor, int devMinor) {
  public enum Type {
    FILE,
    DIRECTORY,
    HARD_LINK,
    SYMLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO
  }

  public TarEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(link, "link");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  /** The last component of the path ("" for the root). */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The directory the entry is in ("/" for a top-level entry and for the root). */
  public String parent() {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
