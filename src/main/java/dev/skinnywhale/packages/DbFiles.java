package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads database files out of an image within the budgets: one file's size is checked before it is
 * read, and the bytes of all files read through one instance add up against the total. Text is
 * decoded as ISO-8859-1, so every byte (a path, a UTF-8 description) round-trips.
 */
final class DbFiles {
  private final RootFs fs;
  private final DbLimits limits;
  private long total;

  DbFiles(RootFs fs, DbLimits limits) {
    this.fs = fs;
    this.limits = limits;
  }

  RootFs fs() {
    return fs;
  }

  DbLimits limits() {
    return limits;
  }

  /** The text of the regular file at {@code path} (symlinks followed), empty when there is none. */
  Optional<String> text(String path) {
    Optional<FsNode.RegularFile> file = fs.file(path);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    long size = file.get().size();
    if (size > limits.maxFileBytes()) {
      throw new PackageDbException(
          path, 0, "is " + size + " bytes, more than the limit of " + limits.maxFileBytes());
    }
    total += size;
    if (total > limits.maxTotalBytes()) {
      throw new PackageDbException(
          path,
          0,
          "the package database passes the limit of " + limits.maxTotalBytes() + " bytes here");
    }
    try {
      ByteBuffer bytes = file.get().content().read(size);
      return Optional.of(StandardCharsets.ISO_8859_1.decode(bytes).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
    }
  }

  /** Whether the image has something at {@code path} (not following the last symlink). */
  boolean exists(String path) {
    return fs.resolveNoFollow(path).found();
  }
}
