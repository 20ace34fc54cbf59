package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.FsPath;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One path of a keep-plan.
 *
 * @param path normalised absolute path, as asked for (it may pass through symlinks)
 * @param reasons why it is kept (never empty)
 * @param recursive whether everything below it is kept too
 */
public record KeepEntry(String path, Set<Reason> reasons, boolean recursive) {
  public KeepEntry {
    if (!path.startsWith("/") || !FsPath.isNormal(path)) {
      throw new IllegalArgumentException("not a normalised absolute path: " + path);
    }
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("no reason to keep " + path);
    }
    reasons = Collections.unmodifiableSet(EnumSet.copyOf(reasons));
  }
}
