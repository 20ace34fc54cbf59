package dev.skinnywhale.rootfs;

import java.util.Objects;

/** One entry of an image filesystem, addressed by its normalised absolute path. */
public sealed interface FsNode
    permits FsNode.RegularFile, FsNode.Directory, FsNode.Symlink, FsNode.HardLink, FsNode.Special {

  String path();

  NodeMeta meta();

  /** A regular file and its content. */
  record RegularFile(String path, NodeMeta meta, Blob content) implements FsNode {
    public RegularFile {
      checkPath(path);
      Objects.requireNonNull(meta, "meta");
      Objects.requireNonNull(content, "content");
    }

    public long size() {
      return content.size();
    }
  }

  record Directory(String path, NodeMeta meta) implements FsNode {
    public Directory {
      checkPath(path);
      Objects.requireNonNull(meta, "meta");
    }
  }

  /** A symbolic link; {@code target} is kept exactly as stored (relative or absolute). */
  record Symlink(String path, NodeMeta meta, String target) implements FsNode {
    public Symlink {
      checkPath(path);
      Objects.requireNonNull(meta, "meta");
      Objects.requireNonNull(target, "target");
    }
  }

  /** A hard link to another regular file of the same filesystem, named by its normalised path. */
  record HardLink(String path, NodeMeta meta, String target) implements FsNode {
    public HardLink {
      checkPath(path);
      Objects.requireNonNull(meta, "meta");
      checkPath(target);
    }
  }

  /** A character or block device or a FIFO. */
  record Special(String path, NodeMeta meta, Kind kind, int devMajor, int devMinor)
      implements FsNode {
    public enum Kind {
      CHAR_DEVICE,
      BLOCK_DEVICE,
      FIFO
    }

    public Special {
      checkPath(path);
      Objects.requireNonNull(meta, "meta");
      Objects.requireNonNull(kind, "kind");
    }
  }

  private static void checkPath(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || !FsPath.isNormal(path)) {
      throw new IllegalArgumentException("not a normalised absolute path: " + path);
    }
  }
}
