package dev.skinnywhale.profile;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/** Checks a profile against an image's filesystem: which of its paths exist there. */
public final class ProfileApplier {
  private ProfileApplier() {}

  /**
   * What a profile keeps in one filesystem.
   *
   * @param paths existing paths to keep, sorted: the entries found, the matches of each glob, and
   *     for every symlink among them the symlinks crossed to its target and the target itself
   * @param missing entries (paths or patterns) that are not in the filesystem, in entry order
   */
  public record Applied(SortedSet<String> paths, List<String> missing) {
    public Applied {
      paths = Collections.unmodifiableSortedSet(new TreeSet<>(paths));
      missing = List.copyOf(missing);
    }
  }

  /**
   * Literal entries are looked up without following a final symlink (lstat); glob entries are
   * expanded over every node, a glob whose literal leading directories are a symlink (a usr-merged
   * {@code /lib}) also below the symlink's target. A glob that matches nothing is missing too.
   */
  public static Applied apply(RootFs fs, Profile profile) {
    TreeSet<String> keep = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    for (ProfileEntry entry : profile.entries()) {
      if (entry.isGlob()) {
        SortedSet<String> found = expand(fs, new ProfileGlob(entry.path()));
        if (found.isEmpty()) {
          missing.add(entry.path());
        }
        keep.addAll(found);
      } else {
        // lstat through symlinked directories on the way (a usr-merged /lib): the links crossed
        // are kept with the node.
        Resolution r = fs.resolveNoFollow(entry.path());
        if (r.found()) {
          keep.addAll(r.hops());
          keep.add(r.finalPath());
        } else {
          missing.add(entry.path());
        }
      }
    }
    // A kept symlink is only useful with what it points to.
    for (String path : List.copyOf(keep)) {
      if (fs.get(path).orElseThrow() instanceof FsNode.Symlink) {
        Resolution r = fs.resolve(path);
        if (r.found()) {
          keep.addAll(r.hops());
          keep.add(r.finalPath());
        }
      }
    }
    return new Applied(keep, missing);
  }

  /**
   * The candidates (in their order) with at least one marker that matches something in fs, except
   * the symbol needs ({@link Profile#isSymbolNeed()}): those are picked by what the kept programs
   * import ({@link #bySymbols}), not by the image's files alone.
   */
  public static List<Profile> auto(RootFs fs, List<Profile> candidates) {
    List<Profile> picked = new ArrayList<>();
    for (Profile p : candidates) {
      if (!p.isSymbolNeed() && markersMatch(fs, p)) {
        picked.add(p);
      }
    }
    return picked;
  }

  /**
   * A symbol need that applies, and why.
   *
   * @param profile the profile
   * @param symbol the imported name that matched one of its symbol markers
   * @param importer the first kept ELF file (in path order) that imports it
   */
  public record SymbolMatch(Profile profile, String symbol, String importer) {}

  /**
   * The symbol needs among the candidates (in their order) that one of the kept ELF files imports a
   * symbol of, and whose markers (when they have any) match something in fs.
   *
   * @param imports for each kept ELF file (by path, iterated in path order), its imported names
   */
  public static List<SymbolMatch> bySymbols(
      RootFs fs, List<Profile> candidates, SortedMap<String, List<String>> imports) {
    List<SymbolMatch> out = new ArrayList<>();
    for (Profile p : candidates) {
      if (!p.isSymbolNeed()) {
        continue;
      }
      Optional<SymbolMatch> match = Optional.empty();
      for (Map.Entry<String, List<String>> e : imports.entrySet()) {
        for (String name : e.getValue()) {
          if (p.symbolMatching(name).isPresent()) {
            match = Optional.of(new SymbolMatch(p, name, e.getKey()));
            break;
          }
        }
        if (match.isPresent()) {
          break;
        }
      }
      if (match.isPresent() && (p.markers().isEmpty() || markersMatch(fs, p))) {
        out.add(match.get());
      }
    }
    return out;
  }

  /** Whether at least one of the profile's markers matches something in fs. */
  public static boolean markersMatch(RootFs fs, Profile p) {
    return p.markers().stream().anyMatch(m -> !expand(fs, new ProfileGlob(m)).isEmpty());
  }

  /** Every existing path a pattern matches, with the symlinks its leading directories cross. */
  static SortedSet<String> expand(RootFs fs, ProfileGlob glob) {
    TreeSet<String> out = new TreeSet<>();
    String prefix = glob.literalPrefix();
    for (FsNode node : fs.subtree(prefix)) {
      if (glob.matches(node.path())) {
        out.add(node.path());
      }
    }
    if (!prefix.equals(FsPath.ROOT)) {
      Resolution r = fs.resolve(prefix);
      if (r.found()
          && !r.hops().isEmpty()
          && r.node().orElseThrow() instanceof FsNode.Directory
          && !r.finalPath().equals(prefix)) {
        ProfileGlob moved = glob.withPrefix(r.finalPath());
        List<String> below = new ArrayList<>();
        for (FsNode node : fs.subtree(r.finalPath())) {
          if (moved.matches(node.path())) {
            below.add(node.path());
          }
        }
        if (!below.isEmpty()) {
          out.addAll(below);
          out.addAll(r.hops());
        }
      }
    }
    return out;
  }
}
