package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * dpkg's database pruned to a layer: {@code status} holds the records of the packages that keep a
 * file (their Conffiles field cut to the conffiles kept), each kept package's {@code info/*.list},
 * {@code *.md5sums} and {@code *.conffiles} list only what is kept, the info files of every other
 * package go, and so do the stale backups ({@code status-old}, {@code diversions-old}).
 */
final class DpkgPruner {
  private static final Set<String> KEEP_IN_INFO = Set.of("format", "format-new");

  private final PackageIndex index;
  private final DbFiles files;
  private final Set<String> layer;

  DpkgPruner(PackageIndex index, DbFiles files, Set<String> layer) {
    this.index = index;
    this.files = files;
    this.layer = layer;
  }

  PrunedDb prune() {
    TreeMap<String, byte[]> out = new TreeMap<>();
    SortedSet<String> dropped = new TreeSet<>();
    StringBuilder status = new StringBuilder();
    Set<String> keptInfo = new HashSet<>();
    Set<String> keptNames = new HashSet<>();
    for (InstalledPackage p : index.db().packages()) {
      if (!PrunedDb.kept(index, p, layer)) {
        continue;
      }
      keptNames.add(p.name());
      Map<String, OwnedPath> byListed = new HashMap<>();
      index.files(p).forEach(o -> byListed.putIfAbsent(o.listed(), o));
      status.append(record(p, byListed)).append('\n');
      if (p.infoName().isEmpty()) {
        continue;
      }
      keptInfo.add(p.infoName());
      String info = DpkgReader.INFO_DIR + "/" + p.infoName();
      StringBuilder list = new StringBuilder();
      for (String listed : p.files()) {
        if (listed.equals("/.") || isKept(byListed, listed)) {
          list.append(listed).append('\n');
        }
      }
      out.put(info + ".list", bytes(list));
      // An md5sums or conffiles file with nothing left goes: dpkg reads its absence as "none".
      for (String ext : List.of(".md5sums", ".conffiles")) {
        java.util.function.Predicate<String> keep =
            ext.equals(".md5sums")
                ? line -> isKept(byListed, "/" + md5sumsPath(line))
                : line -> isKept(byListed, line.strip());
        Optional<byte[]> kept = filter(info + ext, keep);
        if (kept.isPresent() && kept.get().length == 0) {
          dropped.add(info + ext);
        } else {
          kept.ifPresent(b -> out.put(info + ext, b));
        }
      }
    }
    out.put(DpkgReader.STATUS, bytes(status));
    diversions(keptNames).ifPresent(b -> out.put(DpkgReader.DIVERSIONS, b));
    for (FsNode n : files.fs().children(DpkgReader.INFO_DIR)) {
      String name = FsPath.name(n.path());
      int dot = name.lastIndexOf('.');
      String base = dot > 0 ? name.substring(0, dot) : name;
      if (!(n instanceof FsNode.Directory)
          && !KEEP_IN_INFO.contains(name)
          && !keptInfo.contains(base)) {
        dropped.add(n.path());
      }
    }
    dropped.add(DpkgReader.STATUS + "-old");
    dropped.add(DpkgReader.DIVERSIONS + "-old");
    return new PrunedDb(out, dropped);
  }

  private boolean isKept(Map<String, OwnedPath> byListed, String listed) {
    OwnedPath o = byListed.get(listed);
    return o != null && layer.contains(o.path());
  }

  /** The package's status record with only the kept conffiles in its Conffiles field. */
  private String record(InstalledPackage p, Map<String, OwnedPath> byListed) {
    List<ControlFile.Stanza> parsed =
        ControlFile.parse(DpkgReader.STATUS, p.record(), files.limits());
    StringBuilder out = new StringBuilder();
    for (ControlFile.Field f : parsed.get(0).fields()) {
      if (!f.name().equalsIgnoreCase("Conffiles")) {
        out.append(f.text());
        continue;
      }
      StringBuilder kept = new StringBuilder();
      for (String line : f.raw().subList(1, f.raw().size())) {
        if (isKept(byListed, line.strip().split("\\s+")[0])) {
          kept.append(line).append('\n');
        }
      }
      if (kept.length() > 0) {
        out.append(f.raw().get(0)).append('\n').append(kept);
      }
    }
    return out.toString();
  }

  /** "d41d8... usr/bin/x" → "usr/bin/x". */
  private static String md5sumsPath(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(space).stripLeading();
  }

  /** The lines of a database file that pass {@code keep}; empty when the file is missing. */
  private Optional<byte[]> filter(String path, java.util.function.Predicate<String> keep) {
    return files
        .text(path)
        .map(
            text -> {
              StringBuilder out = new StringBuilder();
              for (String line : text.split("\n")) {
                if (!line.isEmpty() && keep.test(line)) {
                  out.append(line).append('\n');
                }
              }
              return bytes(out);
            });
  }

  /** The diversions of kept packages and local ones, when there is a diversions file. */
  private Optional<byte[]> diversions(Set<String> keptNames) {
    if (files.fs().file(DpkgReader.DIVERSIONS).isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (Diversion d : index.db().diversions()) {
      if (d.byPackage().equals(":") || keptNames.contains(d.byPackage())) {
        out.append(d.from()).append('\n').append(d.to()).append('\n');
        out.append(d.byPackage()).append('\n');
      }
    }
    return Optional.of(bytes(out));
  }

  private static byte[] bytes(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
