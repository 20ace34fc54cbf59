package dev.skinnywhale.packages;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * apk's {@code installed} database pruned to a layer: the records of the packages that keep a file,
 * each with only the directories ({@code F:}, with their {@code M:} lines) and files ({@code R:},
 * with their {@code a:} and {@code Z:} lines) kept.
 */
final class ApkPruner {
  private final PackageIndex index;
  private final Set<String> layer;

  ApkPruner(PackageIndex index, Set<String> layer) {
    this.index = index;
    this.layer = layer;
  }

  PrunedDb prune() {
    StringBuilder out = new StringBuilder();
    for (InstalledPackage p : index.db().packages()) {
      if (!PrunedDb.kept(index, p, layer)) {
        continue;
      }
      Map<String, String> real = new HashMap<>();
      index.files(p).forEach(o -> real.putIfAbsent(o.listed(), o.path()));
      String dir = null;
      boolean keepDir = false;
      boolean keepFile = false;
      for (String line : p.record().split("\n")) {
        char key = line.charAt(0);
        String value = line.substring(2);
        boolean keep;
        switch (key) {
          case 'F' -> {
            dir = "/" + value;
            keepDir = kept(real, dir);
            keepFile = keepDir;
            keep = keepDir;
          }
          case 'M' -> keep = keepDir;
          case 'R' -> {
            keepFile = keepDir && kept(real, (dir.equals("/") ? "" : dir) + "/" + value);
            keep = keepFile;
          }
          case 'a', 'Z' -> keep = dir == null || keepFile;
          default -> keep = true;
        }
        if (keep) {
          out.append(line).append('\n');
        }
      }
      out.append('\n');
    }
    TreeMap<String, byte[]> rewritten = new TreeMap<>();
    rewritten.put(ApkReader.INSTALLED, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    return new PrunedDb(rewritten, new TreeSet<>());
  }

  private boolean kept(Map<String, String> real, String listed) {
    String path = real.get(listed);
    return path != null && layer.contains(path);
  }
}
