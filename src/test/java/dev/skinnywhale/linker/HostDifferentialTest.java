package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfFormatException;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.elf.ElfReader;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Our resolution of every dynamic x86-64 ELF file in the host's /usr/bin and the top level of
 * /usr/lib/x86_64-linux-gnu equals what the host's own loader reports with {@code ld.so --list}
 * (linux-vdso aside). Both sides are compared as host real paths, plus the names neither found.
 */
class HostDifferentialTest {
  private static final String LD_SO = "/lib64/ld-linux-x86-64.so.2";
  private static final List<String> SCANNED = List.of("/usr/bin", "/usr/lib/x86_64-linux-gnu");
  private static final Pattern ARROW =
      Pattern.compile("^\\t(\\S+) => (.+?)(?: \\(0x[0-9a-f]+\\))?$");
  private static final Pattern PLAIN = Pattern.compile("^\\t(\\S+) \\(0x[0-9a-f]+\\)$");

  @Test
  void closureOf_hostFiles_matchesLdSoList() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/etc/ld.so.cache")), "no /etc/ld.so.cache");
    assumeTrue(Files.isExecutable(Path.of(LD_SO)), "no " + LD_SO);
    assumeTrue(System.getProperty("os.arch").equals("amd64"), "not an x86-64 host");
    long t0 = System.nanoTime();

    List<String> roots =
        new ArrayList<>(
            List.of(
                "/etc/ld.so.cache",
                "/etc/ld.so.conf",
                "/etc/ld.so.conf.d",
                "/lib",
                "/lib32",
                "/lib64",
                "/libx32",
                "/usr/lib",
                "/usr/lib32",
                "/usr/lib64",
                "/usr/libx32",
                "/usr/local/lib",
                "/usr/bin"));
    roots.addAll(confDirs());
    RootFs fs = HostFs.of(roots);

    ElfReader reader = new ElfReader();
    List<String> files = new ArrayList<>();
    Map<String, ElfInfo> infos = new TreeMap<>();
    int notElf = 0;
    int brokenElf = 0;
    int otherArch = 0;
    int staticElf = 0;
    for (String dir : SCANNED) {
      for (FsNode n : fs.children(dir)) {
        if (!(n instanceof FsNode.RegularFile f)) {
          continue; // symlinks name files compared under their own name
        }
        var head = f.content().read(4);
        if (!ElfReader.hasElfMagic(head)) {
          notElf++;
          continue;
        }
        ElfInfo info;
        try {
          info = reader.read(f.content().read(f.size()));
        } catch (ElfFormatException e) {
          brokenElf++;
          continue;
        }
        if (info.machine() != ElfInfo.EM_X86_64 || info.elfClass() != ElfClass.ELF64) {
          otherArch++;
        } else if (!info.isDynamic()) {
          staticElf++;
        } else {
          files.add(n.path());
          infos.put(n.path(), info);
        }
      }
    }
    long tWalk = System.nanoTime();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<String, Future<Optional<Listed>>> listed = new TreeMap<>();
    for (String file : files) {
      listed.put(file, pool.submit(() -> ldSoList(file)));
    }

    ClosureResolver resolver = new ClosureResolver(fs, LinkerEnv.fromImageEnv(List.of()));
    Map<String, Listed> ours = new TreeMap<>();
    for (String file : files) {
      Closure c = resolver.closureOf(List.of(file));
      Set<String> paths = new TreeSet<>();
      for (Dependency d : c.primary()) {
        paths.add(realpath(d.finalPath()));
      }
      Set<String> missing = new TreeSet<>();
      for (Unresolved u : c.unresolved()) {
        if (u.kind() == DependencyKind.NEEDED) {
          missing.add(u.name());
        }
      }
      ours.put(file, new Listed(paths, missing));
    }
    long tOurs = System.nanoTime();

    int compared = 0;
    int ldSoFailed = 0;
    List<String> mismatches = new ArrayList<>();
    String rtld = realpath(LD_SO);
    for (String file : files) {
      Optional<Listed> theirs = listed.get(file).get(5, TimeUnit.MINUTES);
      if (theirs.isEmpty()) {
        ldSoFailed++;
        continue;
      }
      compared++;
      Set<String> theirPaths = new TreeSet<>(theirs.get().paths());
      Listed mine = ours.get(file);
      if (infos.get(file).interpreter().isEmpty() && !mine.paths().contains(rtld)) {
        theirPaths.remove(rtld); // ld.so --list names itself even for a library that never needs it
      }
      if (!theirPaths.equals(mine.paths()) || !theirs.get().missing().equals(mine.missing())) {
        Set<String> onlyOurs = new TreeSet<>(mine.paths());
        onlyOurs.removeAll(theirPaths);
        Set<String> onlyTheirs = new TreeSet<>(theirPaths);
        onlyTheirs.removeAll(mine.paths());
        mismatches.add(
            file
                + ": only ours "
                + onlyOurs
                + ", only ld.so "
                + onlyTheirs
                + ", missing ours "
                + mine.missing()
                + " vs ld.so "
                + theirs.get().missing());
      }
    }
    pool.shutdownNow();
    long tEnd = System.nanoTime();

    System.out.printf(
        "HostDifferentialTest: %d files compared, %d mismatches; excluded: %d ld.so --list"
            + " failures, %d not ELF, %d broken ELF, %d other arch, %d static;"
            + " fs %d nodes; walk %d ms, ours %d ms, total %d ms%n",
        compared,
        mismatches.size(),
        ldSoFailed,
        notElf,
        brokenElf,
        otherArch,
        staticElf,
        fs.size(),
        (tWalk - t0) / 1_000_000,
        (tOurs - tWalk) / 1_000_000,
        (tEnd - t0) / 1_000_000);
    mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
    assertTrue(compared > 0, "nothing compared");
    assertEquals(0, mismatches.size(), "mismatches (see output): " + mismatches);
  }

  private record Listed(Set<String> paths, Set<String> missing) {}

  /** Runs {@code ld.so --list FILE} with no LD_* variables; empty when it does not list. */
  private static Optional<Listed> ldSoList(String file) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(LD_SO, "--list", file);
    pb.environment().keySet().removeIf(k -> k.startsWith("LD_"));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return Optional.empty();
    }
    Set<String> paths = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    boolean any = false;
    for (String line : out.split("\n")) {
      Matcher a = ARROW.matcher(line);
      Matcher b = PLAIN.matcher(line);
      if (a.matches()) {
        any = true;
        if (a.group(2).equals("not found")) {
          missing.add(a.group(1));
        } else {
          paths.add(realpath(a.group(2)));
        }
      } else if (b.matches()) {
        any = true;
        if (!b.group(1).startsWith("linux-vdso") && b.group(1).startsWith("/")) {
          paths.add(realpath(b.group(1)));
        }
      }
    }
    if (!any && out.strip().equals("statically linked")) {
      // ld.so says this for a dynamic object without DT_NEEDED (e.g. libicudata): nothing to load.
      return Optional.of(new Listed(paths, missing));
    }
    return any ? Optional.of(new Listed(paths, missing)) : Optional.empty();
  }

  private static String realpath(String path) {
    try {
      return Path.of(path).toRealPath().toString();
    } catch (IOException e) {
      return path;
    }
  }

  /** Directories named in the host's ld.so.conf files, so the view holds what the cache names. */
  private static List<String> confDirs() throws IOException {
    List<String> out = new ArrayList<>();
    Path d = Path.of("/etc/ld.so.conf.d");
    if (Files.isDirectory(d)) {
      try (var s = Files.list(d)) {
        for (Path conf : s.toList()) {
          if (Files.isRegularFile(conf)) {
            for (String line : Files.readAllLines(conf, StandardCharsets.ISO_8859_1)) {
              String l = line.strip();
              if (l.startsWith("/")) {
                out.add(l.split("\\s")[0]);
              }
            }
          }
        }
      }
    }
    return out;
  }
}
