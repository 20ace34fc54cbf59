package dev.skinnywhale.linker;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * glob(3) as ldconfig's {@code include} uses it, inside an image, within a budget: a pattern is
 * expanded component by component, following symlinked directories, and sorted. Two paths that
 * reach the same directory (a directory symlinked into itself, {@code /lib → usr/lib}) are one
 * directory: at each component, every directory is listed once, by its real path. Every pattern is
 * expanded once per budget (a file that includes {@code *.conf} a thousand times costs one
 * expansion).
 *
 * <p>Limits: a pattern longer than {@value #MAX_PATTERN} characters (PATH_MAX) is not expanded; one
 * pattern yields at most {@value #MAX_MATCHES} matches (the first ones in sorted order, at every
 * component); all the patterns of one budget look at {@value #MAX_ENTRIES} directory entries in
 * all. Each limit reached is said once, in {@link Expansion#problem()}.
 *
 * <p>Not thread-safe.
 */
final class ConfGlob {
  static final int MAX_PATTERN = 4096;
  static final int MAX_MATCHES = 4096;
  static final int MAX_ENTRIES = 200_000;

  /** What one pattern gave: its matches, sorted, and why they may be incomplete. */
  record Expansion(List<String> matches, Optional<String> problem) {
    Expansion {
      matches = List.copyOf(matches);
    }
  }

  private final RootFs fs;
  private final Map<String, Expansion> done = new HashMap<>();
  private int entries;
  private boolean entriesSaid;

  ConfGlob(RootFs fs) {
    this.fs = fs;
  }

  /** The matches of an absolute, normalised pattern; memoised. */
  Expansion expand(String pattern) {
    Expansion e = done.get(pattern);
    if (e == null) {
      e = expandOnce(pattern);
      done.put(pattern, e);
    }
    return e;
  }

  /** Whether this expansion already happened (its matches were handed out before). */
  boolean expanded(String pattern) {
    return done.containsKey(pattern);
  }

  private Expansion expandOnce(String pattern) {
    if (pattern.length() > MAX_PATTERN) {
      return new Expansion(
          List.of(),
          Optional.of(
              "include pattern of "
                  + pattern.length()
                  + " characters, longer than the limit of "
                  + MAX_PATTERN
                  + "; not expanded"));
    }
    Optional<String> problem = Optional.empty();
    List<String> current = List.of(FsPath.ROOT);
    for (String part : pattern.substring(1).split("/")) {
      if (part.isEmpty() || current.isEmpty()) {
        continue;
      }
      List<String> next = new ArrayList<>();
      if (!LdSoConf.isGlob(part)) {
        for (String c : current) {
          String p = FsPath.resolve(c, part);
          if (!spend(1)) {
            break;
          }
          if (fs.resolve(p).found()) {
            next.add(p);
          }
        }
      } else {
        Pattern regex = Pattern.compile(LdSoConf.globToRegex(part));
        for (String dir : byRealDirectory(current).values()) {
          String real = fs.resolve(dir).finalPath();
          List<FsNode> children = fs.children(real);
          if (!spend(children.size())) {
            break;
          }
          for (FsNode child : children) {
            String name = FsPath.name(child.path());
            if (regex.matcher(name).matches() && (!name.startsWith(".") || part.startsWith("."))) {
              next.add(FsPath.resolve(dir, name));
            }
          }
        }
      }
      if (entries > MAX_ENTRIES && !entriesSaid) {
        entriesSaid = true;
        problem =
            Optional.of(
                "include patterns looked at more than "
                    + MAX_ENTRIES
                    + " directory entries; the rest were not expanded");
      }
      next.sort(null);
      if (next.size() > MAX_MATCHES) {
        problem =
            problem.or(
                () ->
                    Optional.of(
                        "include pattern "
                            + pattern
                            + " matches more than "
                            + MAX_MATCHES
                            + " paths; the first "
                            + MAX_MATCHES
                            + " are read"));
        next = next.subList(0, MAX_MATCHES);
      }
      current = next;
    }
    return new Expansion(current, problem);
  }

  /**
   * The directories among {@code paths}, each real directory once (under the first path, in sorted
   * order, that reaches it).
   */
  private Map<String, String> byRealDirectory(List<String> paths) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : paths.stream().sorted().toList()) {
      Resolution r = fs.resolve(p);
      if (r.node().filter(n -> n instanceof FsNode.Directory).isPresent()) {
        out.putIfAbsent(r.finalPath(), p);
      }
    }
    return out;
  }

  private boolean spend(int n) {
    if (entries > MAX_ENTRIES) {
      return false;
    }
    entries += n;
    return true;
  }
}
