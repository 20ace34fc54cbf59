package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfFormatException;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.elf.ElfReader;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shared-library closure of programs, resolved inside an image the way the image's own dynamic
 * linker would: glibc's {@code elf/dl-load.c} or musl's {@code ldso/dynlink.c}, chosen by each
 * program's PT_INTERP.
 *
 * <p>glibc, for each DT_NEEDED name without '/': the DT_RPATH of the requester, then of the object
 * that loaded it, and so on up to the program (all skipped when the requester has DT_RUNPATH; an
 * object with DT_RUNPATH has no effective DT_RPATH) → LD_LIBRARY_PATH → the requester's own
 * DT_RUNPATH → /etc/ld.so.cache (entries under the default directories skipped when the requester
 * has DF_1_NODEFLIB) → the default directories (unless DF_1_NODEFLIB). Every directory is tried
 * with its glibc-hwcaps subdirectories first. A candidate that is missing, not ELF, broken, or of
 * another class or machine means "keep searching". Where this model chooses, it says so:
 *
 * <ul>
 *   <li>Default directories: the Debian multiarch pair {@code /lib/<triplet> /usr/lib/<triplet>}
 *       then {@code /lib /usr/lib} when the image has a multiarch directory (Debian's ld.so prints
 *       exactly this list); otherwise {@code /lib64 /usr/lib64} (64-bit, RHEL-like) then {@code
 *       /lib /usr/lib}.
 *   <li>{@code $LIB} is {@code lib/<triplet>} on a multiarch image (as Debian's loader expands it),
 *       else {@code lib64} or {@code lib}; {@code $PLATFORM} is the generic platform (x86_64,
 *       aarch64, i686), not the CPU-specific one (haswell) a real loader may use.
 *   <li>{@code $ORIGIN}: for a program, the directory of its real path (as /proc/self/exe gives);
 *       for a library, the directory of the path it was found by (glibc's l_name, not a realpath).
 *       '..' in a search path is resolved physically, like the kernel.
 *   <li>Relative names and relative search directories are taken relative to the root (the working
 *       directory is unknown).
 *   <li>No usable ld.so.cache: the default directories are searched, as the loader does, and then
 *       the directories of /etc/ld.so.conf (with includes) — what ldconfig would have put into a
 *       cache — so a library only they hold is still kept.
 *   <li>glibc-hwcaps: the CPU is unknown, so every variant found before the plain library is kept;
 *       the legacy hwcap subdirectories of glibc &lt; 2.37 (tls, haswell, x86_64…) are not
 *       modelled.
 *   <li>A name is resolved once per search context (requester class and machine, and the ordered
 *       list of places searched); glibc would reuse an already loaded object of the same soname
 *       even when a later requester's search would find another file, so this can keep more, never
 *       less.
 * </ul>
 *
 * <p>musl, chosen when PT_INTERP is {@code ld-musl-*.so.1}: names {@code libc.*}, {@code
 * libpthread.*}, {@code librt.*}, {@code libm.*}, {@code libdl.*}, {@code libutil.*}, {@code
 * libxnet.*} are the interpreter itself; else LD_LIBRARY_PATH → the DT_RUNPATH or DT_RPATH of the
 * requester and each loader up the chain (only $ORIGIN expanded) → {@code /etc/ld-musl-$ARCH.path}
 * (':' or newline separated) or {@code /lib:/usr/local/lib:/usr/lib}.
 *
 * <p>Scripts: the {@code #!} interpreter is kept with its closure; for {@code env}, the program it
 * runs is looked up on the image's PATH. Non-ELF non-script files contribute nothing.
 *
 * <p>Not thread-safe; parsed files and searches are memoised across calls.
 */
public final class ClosureResolver {
  private static final int MAX_SCRIPT_DEPTH = 4;
  private static final int HEAD = 2 + Shebang.MAX_LINE;
  private static final String MUSL_DEFAULT_PATH = "/lib:/usr/local/lib:/usr/lib";

  private final RootFs fs;
  private final LinkerEnv env;
  private final ElfReader reader = new ElfReader();
  private final Map<String, Content> contents = new HashMap<>();
  private final Map<SearchKey, Search> searches = new HashMap<>();
  private final Map<ElfKind, GlibcDirs> glibcDirs = new HashMap<>();
  private Optional<Optional<LdSoCache>> cache = Optional.empty();
  private Optional<BrokenFile> cacheProblem = Optional.empty();
  private Optional<List<String>> confDirs = Optional.empty();

  public ClosureResolver(RootFs fs, LinkerEnv env) {
    this.fs = fs;
    this.env = env;
  }

  /**
   * The closure of {@code roots} (absolute paths in the image), breadth-first from each root in
   * sorted order. Dependencies are listed once each, in the order found.
   */
  public Closure closureOf(Collection<String> roots) {
    Acc acc = new Acc();
    for (String root : new TreeSet<>(roots.stream().map(FsPath::normalize).toList())) {
      exec(root, acc, 0);
    }
    return acc.toClosure();
  }

  // ---------------------------------------------------------------- programs and scripts

  /** A program the kernel executes: its PT_INTERP, its DT_NEEDED closure, or a script's chain. */
  private void exec(String path, Acc acc, int scriptDepth) {
    Resolution res = fs.resolve(path);
    if (!res.found()) {
      acc.broken(new BrokenFile(path, res.failure().orElse("not found")));
      return;
    }
    String real = res.finalPath();
    if (!acc.execDone.add(real)) {
      return;
    }
    Content content = content(real);
    if (content instanceof Content.Broken b) {
      acc.broken(new BrokenFile(real, b.reason()));
    } else if (content instanceof Content.Script s) {
      script(real, s.shebang(), acc, scriptDepth);
    } else if (content instanceof Content.Elf e) {
      program(path, real, e.info(), acc);
    }
  }

  private void script(String real, Shebang shebang, Acc acc, int depth) {
    if (depth >= MAX_SCRIPT_DEPTH) {
      acc.unresolved(
          new Unresolved(
              shebang.interpreter(),
              real,
              DependencyKind.SCRIPT_INTERPRETER,
              "script interpreters nested deeper than " + MAX_SCRIPT_DEPTH));
      return;
    }
    Located interp = locate(shebang.interpreter());
    if (!interp.found()) {
      acc.unresolved(
          new Unresolved(
              shebang.interpreter(),
              real,
              DependencyKind.SCRIPT_INTERPRETER,
              interp.failure().orElse("not found")));
      return;
    }
    acc.dependency(
        interp.toDependency(shebang.interpreter(), real, DependencyKind.SCRIPT_INTERPRETER));
    exec(interp.finalPath(), acc, depth + 1);
    if (!shebang.isEnv()) {
      return;
    }
    Optional<String> program = shebang.envProgram();
    if (program.isEmpty()) {
      return;
    }
    String name = program.get();
    Optional<Located> found = onPath(name);
    if (found.isEmpty()) {
      acc.unresolved(
          new Unresolved(
              name,
              real,
              DependencyKind.SCRIPT_INTERPRETER,
              name.contains("/")
                  ? "not found"
                  : "not an executable file in any PATH directory " + env.path()));
      return;
    }
    acc.dependency(found.get().toDependency(name, real, DependencyKind.SCRIPT_INTERPRETER));
    exec(found.get().finalPath(), acc, depth + 1);
  }

  /** execvp's lookup: the first executable regular file named {@code name} on PATH. */
  private Optional<Located> onPath(String name) {
    if (name.contains("/")) {
      Located l = locate(name);
      return l.found() ? Optional.of(l) : Optional.empty();
    }
    for (String dir : env.path()) {
      Located l = locate((dir.isEmpty() ? "." : dir) + "/" + name);
      if (l.found() && l.node().isPresent() && isExecutable(l.node().get())) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  private boolean isExecutable(FsNode node) {
    return fs.regularFile(node).isPresent() && (node.meta().mode() & 0111) != 0;
  }

  /**
   * A dynamically linked (or static) program: its interpreter, then its libraries breadth-first.
   */
  private void program(String requested, String real, ElfInfo info, Acc acc) {
    Optional<Located> interp = Optional.empty();
    if (info.interpreter().isPresent()) {
      String name = info.interpreter().get();
      Located l = locate(name);
      if (l.found() && content(l.finalPath()) instanceof Content.Elf) {
        acc.dependency(l.toDependency(name, real, DependencyKind.INTERPRETER));
        interp = Optional.of(l);
      } else {
        acc.unresolved(
            new Unresolved(
                name,
                real,
                DependencyKind.INTERPRETER,
                l.found() ? "not an ELF file" : l.failure().orElse("not found")));
      }
    }
    if (!info.isDynamic()) {
      return;
    }
    Flavor flavor = flavor(info, interp);
    Obj root = new Obj(real, info, FsPath.parent(real).orElse(FsPath.ROOT), List.of());
    List<String> ldLibraryPath = new ArrayList<>();
    for (String dir : env.ldLibraryPath()) {
      expand(dir.isEmpty() ? "." : dir, root, flavor, info).ifPresent(ldLibraryPath::add);
    }
    Obj first = root.withChain(ownRpath(root, flavor));
    Deque<Obj> queue = new ArrayDeque<>();
    queue.add(first);
    // Per program: a library's dependencies depend on what this program has already loaded (a
    // private copy of libssl found through its RUNPATH, say), so they are worked out again for
    // each program; the searches themselves are memoised.
    Set<List<Object>> objectsSeen = new HashSet<>();
    objectsSeen.add(first.key(flavor, ldLibraryPath));
    // Objects of this process by the names that match them: the loader maps a name only once, and
    // a later DT_NEEDED of the same name (or of a loaded object's DT_SONAME, in glibc) is that
    // object.
    Map<String, Located> loaded = new HashMap<>();
    if (!flavor.musl()) {
      info.soname().ifPresent(n -> loaded.put(n, locate(real)));
    }
    if (interp.isPresent() && content(interp.get().finalPath()) instanceof Content.Elf ie) {
      Located il = interp.get();
      loaded.put(info.interpreter().get(), il);
      if (!flavor.musl()) {
        ie.info().soname().ifPresent(n -> loaded.putIfAbsent(n, il));
      }
      // The interpreter is an object of the process too (it has no DT_NEEDED in practice).
      Obj io =
          new Obj(
              interp.get().finalPath(), ie.info(), parentOf(interp.get().finalPath()), List.of());
      if (objectsSeen.add(io.key(flavor, ldLibraryPath))) {
        queue.add(io);
      }
    }
    while (!queue.isEmpty()) {
      Obj obj = queue.poll();
      for (String name : obj.info.needed()) {
        Located already = loaded.get(name);
        if (already != null) {
          acc.dependency(already.toDependency(name, obj.realPath, DependencyKind.NEEDED));
          continue;
        }
        Search search = needed(obj, name, flavor, ldLibraryPath);
        search.broken.forEach(acc::broken);
        if (search.found.isEmpty()) {
          acc.unresolved(
              new Unresolved(name, obj.realPath, DependencyKind.NEEDED, search.reason()));
          continue;
        }
        Located primary = search.found.get(0);
        loaded.put(name, primary);
        if (!flavor.musl()) {
          ElfInfo primaryInfo = ((Content.Elf) content(primary.finalPath())).info();
          primaryInfo.soname().ifPresent(n -> loaded.putIfAbsent(n, primary));
        }
        for (Located l : search.found) {
          acc.dependency(l.toDependency(name, obj.realPath, DependencyKind.NEEDED));
          ElfInfo childInfo = ((Content.Elf) content(l.finalPath())).info();
          Obj child = new Obj(l.finalPath(), childInfo, parentOf(l.path()), obj.chain);
          child = child.withChain(concat(ownRpath(child, flavor), obj.chain));
          if (objectsSeen.add(child.key(flavor, ldLibraryPath))) {
            queue.add(child);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- the search

  /**
   * The directories an object adds to the inherited chain: glibc's effective DT_RPATH, musl's path.
   */
  private List<String> ownRpath(Obj obj, Flavor flavor) {
    List<String> raw;
    if (flavor.musl()) {
      raw = obj.info.hasRunpath() ? obj.info.runpath() : obj.info.rpath();
    } else {
      raw = obj.info.hasRunpath() ? List.of() : obj.info.rpath();
    }
    List<String> out = new ArrayList<>();
    for (String dir : raw) {
      expand(dir.isEmpty() ? "." : dir, obj, flavor, obj.info).ifPresent(out::add);
    }
    return out;
  }

  private Search needed(Obj obj, String rawName, Flavor flavor, List<String> ldLibraryPath) {
    String name = rawName;
    if (!flavor.musl() && name.contains("$")) {
      Optional<String> expanded = expand(name, obj, flavor, obj.info);
      if (expanded.isEmpty()) {
        return Search.none("cannot expand dynamic string tokens in " + rawName);
      }
      name = expanded.get();
    }
    if (flavor.musl() && flavor.interp().isPresent() && isMuslReserved(name)) {
      return new Search(List.of(flavor.interp().get()), List.of(), List.of());
    }
    if (name.contains("/")) {
      return direct(name, obj.info);
    }
    List<Step> steps = new ArrayList<>();
    if (flavor.musl()) {
      ldLibraryPath.forEach(d -> steps.add(new Step(StepKind.LD_LIBRARY_PATH, d)));
      obj.chain.forEach(d -> steps.add(new Step(StepKind.RPATH, d)));
      muslPath(flavor).forEach(d -> steps.add(new Step(StepKind.SYSTEM, d)));
    } else {
      if (!obj.info.hasRunpath()) {
        obj.chain.forEach(d -> steps.add(new Step(StepKind.RPATH, d)));
      }
      ldLibraryPath.forEach(d -> steps.add(new Step(StepKind.LD_LIBRARY_PATH, d)));
      for (String d : obj.info.runpath()) {
        expand(d.isEmpty() ? "." : d, obj, flavor, obj.info)
            .ifPresent(x -> steps.add(new Step(StepKind.RUNPATH, x)));
      }
      GlibcDirs dirs = glibcDirs(obj.info);
      boolean nodeflib = obj.info.noDefaultLib();
      if (cache().isPresent()) {
        steps.add(new Step(nodeflib ? StepKind.CACHE_NODEFLIB : StepKind.CACHE, ""));
      }
      if (!nodeflib) {
        dirs.system.forEach(d -> steps.add(new Step(StepKind.SYSTEM, d)));
      }
      if (cache().isEmpty()) {
        // Without a cache the loader searches the default directories only; a library that only
        // ld.so.conf's directories hold is looked for there last (it would need a cache at run
        // time: this keeps it, and the missing cache is the image's own problem).
        for (String d : confDirs()) {
          if (!nodeflib || !underAny(d + "/", dirs.system)) {
            steps.add(new Step(StepKind.CONF, d));
          }
        }
      }
    }
    SearchKey key = new SearchKey(name, new ElfKind(obj.info), List.copyOf(steps), flavor.musl());
    Search s = searches.get(key);
    if (s == null) {
      s = search(name, obj.info, steps, flavor);
      searches.put(key, s);
    }
    return s;
  }

  private Search direct(String name, ElfInfo requester) {
    Located l = locate(name);
    List<BrokenFile> broken = new ArrayList<>();
    Optional<String> why = check(l, requester, broken);
    if (why.isEmpty()) {
      return new Search(List.of(l), List.of(), broken);
    }
    return new Search(List.of(), List.of(l.path() + " (" + why.get() + ")"), broken);
  }

  private Search search(String name, ElfInfo requester, List<Step> steps, Flavor flavor) {
    List<Located> found = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<BrokenFile> broken = new ArrayList<>();
    Set<String> tried = new HashSet<>();
    for (Step step : steps) {
      List<Candidate> candidates = new ArrayList<>();
      if (step.kind == StepKind.CACHE || step.kind == StepKind.CACHE_NODEFLIB) {
        List<String> system = glibcDirs(requester).system;
        for (LdSoCache.Entry e : cache().get().lookupEntries(name, requester)) {
          if (step.kind == StepKind.CACHE_NODEFLIB && underAny(e.path(), system)) {
            continue;
          }
          candidates.add(new Candidate(e.path(), e.hwcapsVariant()));
        }
      } else {
        if (!flavor.musl()) {
          for (String h : Abi.of(requester).hwcaps()) {
            candidates.add(new Candidate(step.dir + "/glibc-hwcaps/" + h + "/" + name, true));
          }
        }
        candidates.add(new Candidate(step.dir + "/" + name, false));
      }
      for (Candidate c : candidates) {
        Located l = locate(c.path);
        if (!l.found()) {
          continue;
        }
        if (!tried.add(l.finalPath() + "\0" + l.path())) {
          continue;
        }
        Optional<String> why = check(l, requester, broken);
        if (why.isPresent()) {
          skipped.add(l.path() + " (" + why.get() + ")");
          continue;
        }
        found.add(l);
        if (!c.hwcaps) {
          return new Search(found, skipped, broken);
        }
      }
    }
    if (found.isEmpty()) {
      skipped.add(0, "searched " + describe(steps));
    }
    return new Search(found, skipped, broken);
  }

  /** Why a found file cannot serve {@code requester}, or empty when it can. */
  private Optional<String> check(Located l, ElfInfo requester, List<BrokenFile> broken) {
    if (!l.found()) {
      return Optional.of(l.failure().orElse("not found"));
    }
    Content c = content(l.finalPath());
    if (c instanceof Content.Elf e) {
      if (!e.info().compatibleWith(requester)) {
        return Optional.of(
            "wrong class or machine: " + e.info().elfClass() + " machine " + e.info().machine());
      }
      return Optional.empty();
    }
    if (c instanceof Content.Broken b) {
      broken.add(new BrokenFile(l.finalPath(), b.reason()));
      return Optional.of("broken: " + b.reason());
    }
    return Optional.of("not an ELF file");
  }

  private static String describe(List<Step> steps) {
    if (steps.isEmpty()) {
      return "nowhere";
    }
    Map<StepKind, List<String>> byKind = new LinkedHashMap<>();
    for (Step s : steps) {
      byKind.computeIfAbsent(s.kind, k -> new ArrayList<>()).add(s.dir);
    }
    List<String> parts = new ArrayList<>();
    byKind.forEach(
        (k, dirs) ->
            parts.add(
                switch (k) {
                  case CACHE -> "ld.so.cache";
                  case CACHE_NODEFLIB -> "ld.so.cache (NODEFLIB)";
                  default -> k.label + " " + String.join(":", dirs);
                }));
    return String.join(", ", parts);
  }

  private static boolean underAny(String path, List<String> dirs) {
    for (String d : dirs) {
      if (path.startsWith(d.endsWith("/") ? d : d + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMuslReserved(String name) {
    if (!name.startsWith("lib")) {
      return false;
    }
    for (String r : List.of("c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet.")) {
      if (name.startsWith(r, 3)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- dynamic string tokens

  /**
   * Expands $ORIGIN, $LIB and $PLATFORM (also as ${NAME}) in glibc; only $ORIGIN in musl. Empty
   * when a token cannot be expanded (the loader drops such an element). Unknown tokens stay as
   * written.
   */
  private Optional<String> expand(String s, Obj owner, Flavor flavor, ElfInfo info) {
    if (s.indexOf('$') < 0) {
      return Optional.of(s);
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      boolean braced = i + 1 < s.length() && s.charAt(i + 1) == '{';
      int start = braced ? i + 2 : i + 1;
      int end = start;
      while (end < s.length()
          && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
        end++;
      }
      String token = s.substring(start, end);
      if (braced && (end >= s.length() || s.charAt(end) != '}')) {
        out.append(c);
        i++;
        continue;
      }
      String value;
      if (token.equals("ORIGIN")) {
        value = owner.origin;
      } else if (!flavor.musl() && token.equals("LIB")) {
        value = glibcDirs(info).lib;
      } else if (!flavor.musl() && token.equals("PLATFORM")) {
        value = Abi.of(info).platform();
        if (value.isEmpty()) {
          return Optional.empty();
        }
      } else {
        out.append(c);
        i++;
        continue;
      }
      out.append(value);
      i = braced ? end + 1 : end;
    }
    return Optional.of(out.toString());
  }

  // ---------------------------------------------------------------- image configuration

  private record GlibcDirs(List<String> system, String lib) {}

  private GlibcDirs glibcDirs(ElfInfo info) {
    return glibcDirs.computeIfAbsent(
        new ElfKind(info),
        k -> {
          Abi abi = Abi.of(info);
          Optional<String> triplet =
              abi.multiarch()
                  .filter(t -> fs.isDirectory("/lib/" + t) || fs.isDirectory("/usr/lib/" + t));
          if (triplet.isPresent()) {
            String t = triplet.get();
            return new GlibcDirs(
                List.of("/lib/" + t, "/usr/lib/" + t, "/lib", "/usr/lib"), "lib/" + t);
          }
          if (info.elfClass() == ElfClass.ELF64) {
            return new GlibcDirs(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib"), "lib64");
          }
          return new GlibcDirs(List.of("/lib", "/usr/lib"), "lib");
        });
  }

  /** The image's ld.so.cache, empty when missing or unreadable (the loader then ignores it). */
  private Optional<LdSoCache> cache() {
    if (cache.isEmpty()) {
      Optional<LdSoCache> c = Optional.empty();
      Optional<FsNode.RegularFile> file = fs.file("/etc/ld.so.cache");
      if (file.isPresent()) {
        try {
          c = Optional.of(LdSoCache.parse(file.get().content().read(file.get().size())));
        } catch (LdSoCacheFormatException | IOException e) {
          cacheProblem = Optional.of(new BrokenFile("/etc/ld.so.cache", e.getMessage()));
        }
      }
      cache = Optional.of(c);
    }
    return cache.get();
  }

  private List<String> confDirs() {
    if (confDirs.isEmpty()) {
      confDirs = Optional.of(LdSoConf.read(fs, LdSoConf.DEFAULT_PATH).directories());
    }
    return confDirs.get();
  }

  private record Flavor(boolean musl, Optional<Located> interp, String arch) {}

  private Flavor flavor(ElfInfo info, Optional<Located> interp) {
    Optional<String> interpName = info.interpreter().map(FsPath::name);
    if (interpName.isPresent()) {
      String n = interpName.get();
      if (n.startsWith("ld-musl-") && n.endsWith(".so.1")) {
        return new Flavor(true, interp, n.substring("ld-musl-".length(), n.length() - 5));
      }
      return new Flavor(false, interp, "");
    }
    // A library as the root: musl when it needs musl's libc, or the image has musl and no glibc
    // cache.
    boolean needsMusl = info.needed().stream().anyMatch(n -> n.startsWith("libc.musl-"));
    List<FsNode> muslLoaders =
        fs.children("/lib").stream()
            .filter(n -> FsPath.name(n.path()).startsWith("ld-musl-"))
            .filter(n -> FsPath.name(n.path()).endsWith(".so.1"))
            .toList();
    if (!muslLoaders.isEmpty() && (needsMusl || fs.file("/etc/ld.so.cache").isEmpty())) {
      String path = muslLoaders.get(0).path();
      String n = FsPath.name(path);
      Located l = locate(path);
      return new Flavor(
          true,
          l.found() ? Optional.of(l) : Optional.empty(),
          n.substring("ld-musl-".length(), n.length() - 5));
    }
    return new Flavor(false, Optional.empty(), "");
  }

  private List<String> muslPath(Flavor flavor) {
    String pathFile = "/etc/ld-musl-" + flavor.arch() + ".path";
    String text = MUSL_DEFAULT_PATH;
    Optional<FsNode.RegularFile> file = fs.file(pathFile);
    if (file.isPresent()) {
      try {
        ByteBuffer b = file.get().content().read(1 << 16);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        text = new String(bytes, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        text = MUSL_DEFAULT_PATH;
      }
    }
    List<String> out = new ArrayList<>();
    for (String d : text.split("[:\n]")) {
      if (!d.isEmpty()) {
        out.add(d);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- files

  private sealed interface Content {
    record Elf(ElfInfo info) implements Content {}

    record Script(Shebang shebang) implements Content {}

    record Other() implements Content {}

    record Broken(String reason) implements Content {}
  }

  /** What the regular file at a real path is; memoised. */
  private Content content(String real) {
    Content c = contents.get(real);
    if (c == null) {
      c = readContent(real);
      contents.put(real, c);
    }
    return c;
  }

  private Content readContent(String real) {
    Optional<FsNode.RegularFile> file = fs.file(real);
    if (file.isEmpty()) {
      return new Content.Other();
    }
    try {
      ByteBuffer head = file.get().content().read(HEAD);
      if (ElfReader.hasElfMagic(head)) {
        ByteBuffer whole = file.get().content().read(file.get().size());
        return new Content.Elf(reader.read(whole));
      }
      Optional<Shebang> shebang = Shebang.parse(head);
      if (shebang.isPresent()) {
        return new Content.Script(shebang.get());
      }
      return new Content.Other();
    } catch (ElfFormatException e) {
      return new Content.Broken("ELF: " + e.getMessage());
    } catch (IOException e) {
      return new Content.Broken("cannot read: " + e.getMessage());
    }
  }

  /**
   * Resolves a path inside the image with '..' taken physically (the parent of the real directory,
   * as the kernel does), collecting every symlink hop. Relative paths start at the root.
   */
  private Located locate(String raw) {
    List<String> hops = new ArrayList<>();
    String current = FsPath.ROOT;
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        Resolution r = fs.resolve(current);
        hops.addAll(r.hops());
        current = FsPath.parent(r.finalPath()).orElse(FsPath.ROOT);
        continue;
      }
      current = FsPath.resolve(current, part);
    }
    Resolution r = fs.resolve(current);
    hops.addAll(r.hops());
    Optional<FsNode> node = r.node().filter(n -> fs.regularFile(n).isPresent());
    Optional<String> failure =
        r.failure().or(() -> node.isEmpty() ? Optional.of("not a regular file") : Optional.empty());
    return new Located(
        current, r.finalPath(), List.copyOf(new LinkedHashSet<>(hops)), node, failure);
  }

  private static String parentOf(String path) {
    return FsPath.parent(path).orElse(FsPath.ROOT);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  // ---------------------------------------------------------------- small values

  private record Located(
      String path,
      String finalPath,
      List<String> hops,
      Optional<FsNode> node,
      Optional<String> failure) {
    boolean found() {
      return node.isPresent();
    }

    Dependency toDependency(String name, String neededBy, DependencyKind kind) {
      return new Dependency(name, neededBy, kind, path, finalPath, hops);
    }
  }

  /** A loaded object: its real path, what it is, $ORIGIN, and the RPATH chain it searches. */
  private record Obj(String realPath, ElfInfo info, String origin, List<String> chain) {
    Obj withChain(List<String> c) {
      return new Obj(realPath, info, origin, List.copyOf(c));
    }

    List<Object> key(Flavor flavor, List<String> ldLibraryPath) {
      return List.of(realPath, origin, chain, flavor.musl(), ldLibraryPath);
    }
  }

  /** Identity of a requester for the purpose of accepting candidates. */
  private record ElfKind(ElfClass elfClass, java.nio.ByteOrder order, int machine) {
    ElfKind(ElfInfo info) {
      this(info.elfClass(), info.byteOrder(), info.machine());
    }
  }

  private enum StepKind {
    RPATH("RPATH"),
    LD_LIBRARY_PATH("LD_LIBRARY_PATH"),
    RUNPATH("RUNPATH"),
    CACHE("ld.so.cache"),
    CACHE_NODEFLIB("ld.so.cache"),
    CONF("ld.so.conf"),
    SYSTEM("default dirs");

    final String label;

    StepKind(String label) {
      this.label = label;
    }
  }

  private record Step(StepKind kind, String dir) {}

  private record Candidate(String path, boolean hwcaps) {}

  private record SearchKey(String name, ElfKind kind, List<Step> steps, boolean musl) {}

  private record Search(List<Located> found, List<String> skipped, List<BrokenFile> broken) {
    static Search none(String why) {
      return new Search(List.of(), List.of(why), List.of());
    }

    String reason() {
      return skipped.isEmpty() ? "not found" : "not found; " + String.join("; ", skipped);
    }
  }

  /** What one closureOf call accumulates. */
  private final class Acc {
    final LinkedHashSet<Dependency> dependencies = new LinkedHashSet<>();
    final LinkedHashSet<Unresolved> unresolved = new LinkedHashSet<>();
    final LinkedHashMap<String, BrokenFile> broken = new LinkedHashMap<>();
    final Set<String> execDone = new HashSet<>();

    void dependency(Dependency d) {
      dependencies.add(d);
    }

    void unresolved(Unresolved u) {
      unresolved.add(u);
    }

    void broken(BrokenFile b) {
      broken.putIfAbsent(b.path(), b);
    }

    Closure toClosure() {
      cacheProblem.ifPresent(this::broken);
      return new Closure(
          List.copyOf(dependencies), List.copyOf(unresolved), List.copyOf(broken.values()));
    }
  }
}
