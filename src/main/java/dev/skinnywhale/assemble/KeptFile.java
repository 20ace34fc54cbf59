package dev.skinnywhale.assemble;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One node of the slim layer and why it is there.
 *
 * @param path the node's path
 * @param reasons every reason it is kept
 * @param size content bytes (regular files; 0 for everything else, hard links included)
 */
public record KeptFile(String path, Set<Reason> reasons, long size) {
  public KeptFile {
    reasons = Collections.unmodifiableSet(EnumSet.copyOf(reasons));
  }
}
