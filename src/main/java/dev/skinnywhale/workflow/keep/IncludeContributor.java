package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Reason#INCLUDE} and {@link Reason#BRUTE}: the user's --include globs (a directory with its
 * contents), --brute-lib and --brute-usr-lib; and the user's --exclude globs, which drop what they
 * match except a parent or symlink hop a kept file needs.
 */
public final class IncludeContributor implements KeepContributor {
  private final List<String> includes;
  private final List<String> excludes;
  private final boolean bruteLib;
  private final boolean bruteUsrLib;

  /** Globs as the user typed them (UTF-8 text). */
  public IncludeContributor(
      List<String> includes, List<String> excludes, boolean bruteLib, boolean bruteUsrLib) {
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
    this.bruteLib = bruteLib;
    this.bruteUsrLib = bruteUsrLib;
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    for (String text : includes) {
      String include = FsPath.fromText(text);
      if (isLiteral(include)) {
        String path = FsPath.normalize(include);
        if (fs.resolveNoFollow(path).found()) {
          plan.addRecursive(path, Reason.INCLUDE);
          danglingNote(fs, text, path).ifPresent(reporter::warn);
        } else {
          reporter.warn("--include " + text + ": not in the image");
        }
        continue;
      }
      List<PathGlob> globs = withAliases(include, fs);
      List<FsNode> matched = fs.matching(path -> globs.stream().anyMatch(g -> g.matches(path)));
      if (matched.isEmpty()) {
        reporter.warn("--include " + text + ": matches nothing in the image");
      }
      for (FsNode node : matched) {
        plan.addRecursive(node.path(), Reason.INCLUDE);
        danglingNote(fs, text, node.path()).ifPresent(reporter::warn);
      }
    }
    if (bruteLib) {
      addBrute(plan, fs, "/lib");
    }
    if (bruteUsrLib) {
      addBrute(plan, fs, "/usr/lib");
    }
    for (String exclude : excludes) {
      plan.exclude(new PathGlob(FsPath.fromText(exclude)));
    }
  }

  /**
   * For an included symlink whose target is missing (or that loops): it is kept as the link, and
   * the user hears that what it names is not there.
   */
  static java.util.Optional<String> danglingNote(RootFs fs, String text, String path) {
    if (!(fs.resolveNoFollow(path).node().orElse(null) instanceof FsNode.Symlink link)
        || fs.resolve(path).found()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "--include "
            + text
            + ": "
            + FsPath.toText(path)
            + " is a symlink to "
            + FsPath.toText(link.target())
            + ", which is not in the image; the link is kept as it is");
  }

  /**
   * The glob, and the same glob below the real directory when its literal leading directories pass
   * a symlink (usrmerge: /lib/x86_64-linux-gnu/libc.so* also as /usr/lib/x86_64-linux-gnu/...).
   */
  static List<PathGlob> withAliases(String glob, RootFs fs) {
    List<PathGlob> out = new ArrayList<>();
    out.add(new PathGlob(glob));
    String[] parts = glob.split("/");
    StringBuilder prefix = new StringBuilder();
    int i = 1;
    for (; i < parts.length; i++) {
      if (!isLiteral(parts[i])) {
        break;
      }
      prefix.append('/').append(parts[i]);
    }
    if (prefix.length() > 0 && i < parts.length) {
      var r = fs.resolve(prefix.toString());
      if (r.found() && !r.finalPath().equals(FsPath.normalize(prefix.toString()))) {
        String rest = String.join("/", Arrays.copyOfRange(parts, i, parts.length));
        String base = r.finalPath().equals(FsPath.ROOT) ? "" : r.finalPath();
        out.add(new PathGlob(base + "/" + rest));
      }
    }
    return out;
  }

  private static void addBrute(KeepPlan.Builder plan, RootFs fs, String dir) {
    var resolution = fs.resolve(dir);
    plan.addRecursive(dir, Reason.BRUTE);
    if (resolution.found()) {
      plan.addRecursive(resolution.finalPath(), Reason.BRUTE);
    }
  }

  private static boolean isLiteral(String glob) {
    return glob.chars().noneMatch(c -> c == '*' || c == '?' || c == '[');
  }
}
