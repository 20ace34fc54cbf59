package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
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
 * program's PT_INTERP ({@link LoaderConfig#rulesFor}).
 *
 * <p>The parts: this class walks programs, scripts and each program's objects breadth-first; {@link
 * LibrarySearch} looks for one DT_NEEDED name with a loader's {@link LoaderRules} ({@link
 * GlibcRules}, {@link MuslRules}); {@link LoaderConfig} holds what the image configures (the
 * ld.so.cache, ld.so.conf, musl's path file, the default directories); {@link ImageFiles} reads
 * each file once and looks paths up ('..' in a search path is resolved physically, like the kernel;
 * relative names are taken relative to the root).
 *
 * <p>Per program, a name the process has already loaded (or, in glibc, the DT_SONAME of a loaded
 * object) is that object, as the loader maps a name only once.
 *
 * <p>Optionally, the libraries whose names an object that imports {@code dlopen} has as string
 * literals, where the image has them ({@link DependencyKind#DLOPEN_LITERAL}).
 *
 * <p>Scripts: the {@code #!} interpreter is kept with its closure; for {@code env}, the program it
 * runs is looked up on the image's PATH. Non-ELF non-script files contribute nothing.
 *
 * <p>Budgets: {@link dev.skinnywhale.elf.ElfReader} bounds DT_NEEDED per object; at most {@value
 * #MAX_NAMES_PER_PROGRAM} names are looked up per program, which bounds its objects.
 *
 * <p>Not thread-safe; parsed files and searches are memoised across calls.
 */
public final class ClosureResolver {
  private static final int MAX_SCRIPT_DEPTH = 4;

  /**
   * The most library names (DT_NEEDED and dlopen literals, over all its objects) looked up for one
   * program; beyond it the program is a {@link BrokenFile} naming the limit, and what was found so
   * far is kept.
   */
  static final int MAX_NAMES_PER_PROGRAM = 32_768;

  private final RootFs fs;
  private final LinkerEnv env;
  private final ImageFiles files;
  private final LoaderConfig config;
  private final LibrarySearch search;
  private final boolean dlopenLiterals;

  /** The loader's closure: interpreters and DT_NEEDED, nothing a program loads by itself. */
  public ClosureResolver(RootFs fs, LinkerEnv env) {
    this(fs, env, false);
  }

  /**
   * @param dlopenLiterals also search, for every object that imports {@code dlopen}, the library
   *     names among its string literals ({@link ElfInfo#libraryLiterals()}) as that object's
   *     DT_NEEDED entries would be searched; those found are {@link DependencyKind#DLOPEN_LITERAL}
   *     dependencies with their own closure, those not found are unresolved of that kind
   */
  public ClosureResolver(RootFs fs, LinkerEnv env, boolean dlopenLiterals) {
    this.fs = fs;
    this.env = env;
    this.files = new ImageFiles(fs);
    this.config = new LoaderConfig(fs, files);
    this.search = new LibrarySearch(files);
    this.dlopenLiterals = dlopenLiterals;
  }

  /**
   * What the loader read of the ELF file at {@code path} (symlinks followed), read once and shared
   * with the closure; empty when it is not a readable ELF file.
   */
  public Optional<ElfInfo> elf(String path) {
    Resolution r = fs.resolve(path);
    if (!r.found()) {
      return Optional.empty();
    }
    return files.content(r.finalPath()) instanceof FileContent.Elf e
        ? Optional.of(e.info())
        : Optional.empty();
  }

  /**
   * The closure of {@code roots} (absolute paths in the image), breadth-first from each root in
   * sorted order. Dependencies are listed once each, in the order found.
   */
  public Closure closureOf(Collection<String> roots) {
    Acc acc = new Acc();
    try {
      fs.prefetch(roots); // one batch where content is read lazily
    } catch (java.io.IOException e) {
      // each read then fetches its own file, and reports what it cannot read
    }
    for (String root : new TreeSet<>(roots.stream().map(FsPath::normalize).toList())) {
      exec(root, acc, 0);
    }
    config.cacheProblem().ifPresent(acc::broken);
    config.confProblems().forEach(acc::broken);
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
    FileContent content = files.content(real);
    if (content instanceof FileContent.Broken b) {
      acc.broken(new BrokenFile(real, b.reason()));
    } else if (content instanceof FileContent.Script s) {
      script(real, s.shebang(), acc, scriptDepth);
    } else if (content instanceof FileContent.Elf e) {
      program(real, e.info(), acc);
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
    Located interp = files.locate(shebang.interpreter());
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
      Located l = files.locate(name);
      return l.found() ? Optional.of(l) : Optional.empty();
    }
    for (String dir : env.path()) {
      Located l = files.locate((dir.isEmpty() ? "." : dir) + "/" + name);
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
  private void program(String real, ElfInfo info, Acc acc) {
    Optional<Located> interp = Optional.empty();
    if (info.interpreter().isPresent()) {
      String name = info.interpreter().get();
      Located l = files.locate(name);
      if (l.found() && files.content(l.finalPath()) instanceof FileContent.Elf) {
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
    LoaderRules rules = config.rulesFor(info, interp);
    LoadedObject root = new LoadedObject(real, info, parentOf(real), List.of());
    List<String> ldLibraryPath = rules.expandDirs(env.ldLibraryPath(), root);
    LoadedObject first = root.withChain(rules.ownChain(root));
    Deque<LoadedObject> queue = new ArrayDeque<>();
    queue.add(first);
    // Per program: a library's dependencies depend on what this program has already loaded (a
    // private copy of libssl found through its RUNPATH, say), so they are worked out again for
    // each program; the searches themselves are memoised.
    Set<List<Object>> objectsSeen = new HashSet<>();
    objectsSeen.add(first.key());
    // Objects of this process by the names that match them: the loader maps a name only once, and
    // a later DT_NEEDED of the same name (or of a loaded object's DT_SONAME, in glibc) is that
    // object.
    Map<String, Located> loaded = new HashMap<>();
    if (rules.matchesSoname()) {
      info.soname().ifPresent(n -> loaded.put(n, files.locate(real)));
    }
    if (interp.isPresent()) {
      Located il = interp.get();
      ElfInfo interpInfo = files.elf(il.finalPath());
      loaded.put(info.interpreter().get(), il);
      if (rules.matchesSoname()) {
        interpInfo.soname().ifPresent(n -> loaded.putIfAbsent(n, il));
      }
      // The interpreter is an object of the process too (it has no DT_NEEDED in practice).
      LoadedObject io =
          new LoadedObject(il.finalPath(), interpInfo, parentOf(il.finalPath()), List.of());
      if (objectsSeen.add(io.key())) {
        queue.add(io);
      }
    }
    int budget = MAX_NAMES_PER_PROGRAM;
    Set<List<Object>> prefetched = new HashSet<>();
    while (!queue.isEmpty()) {
      if (fs.readsLazily() && !prefetched.contains(queue.peek().key())) {
        prefetchLevel(queue, loaded, rules, ldLibraryPath, prefetched);
      }
      LoadedObject obj = queue.poll();
      List<String> names = new ArrayList<>(obj.info().needed());
      int literalsFrom = names.size();
      if (dlopenLiterals) {
        names.addAll(obj.info().libraryLiterals());
      }
      if (names.size() > budget) {
        acc.broken(
            new BrokenFile(
                real,
                "its objects name more than "
                    + MAX_NAMES_PER_PROGRAM
                    + " libraries, the limit; the rest of its closure not resolved"));
        return;
      }
      budget -= names.size();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        DependencyKind kind =
            i < literalsFrom ? DependencyKind.NEEDED : DependencyKind.DLOPEN_LITERAL;
        Located already = loaded.get(name);
        if (already != null) {
          if (kind == DependencyKind.NEEDED) {
            acc.dependency(already.toDependency(name, obj.realPath(), kind));
          }
          continue;
        }
        Search s = search.needed(obj, name, rules, ldLibraryPath);
        s.broken().forEach(acc::broken);
        if (s.found().isEmpty()) {
          acc.unresolved(new Unresolved(name, obj.realPath(), kind, s.reason()));
          continue;
        }
        Located primary = s.found().get(0);
        loaded.put(name, primary);
        if (rules.matchesSoname()) {
          files.elf(primary.finalPath()).soname().ifPresent(n -> loaded.putIfAbsent(n, primary));
        }
        for (Located l : s.found()) {
          acc.dependency(l.toDependency(name, obj.realPath(), kind));
          LoadedObject child =
              new LoadedObject(
                  l.finalPath(), files.elf(l.finalPath()), parentOf(l.path()), obj.chain());
          child = child.withChain(concat(rules.ownChain(child), obj.chain()));
          if (objectsSeen.add(child.key())) {
            queue.add(child);
          }
        }
      }
    }
  }

  /**
   * Fetches, in one batch, the files the searches for the names of every object now queued (a level
   * of the breadth-first walk) will most likely read: without it, each is fetched alone as the walk
   * reaches it. Only a prediction: what the walk then finds is the same either way.
   */
  private void prefetchLevel(
      Deque<LoadedObject> queue,
      Map<String, Located> loaded,
      LoaderRules rules,
      List<String> ldLibraryPath,
      Set<List<Object>> prefetched) {
    Set<String> files = new java.util.LinkedHashSet<>();
    int names = 0;
    for (LoadedObject obj : queue) {
      prefetched.add(obj.key());
      List<String> all = new ArrayList<>(obj.info().needed());
      if (dlopenLiterals) {
        all.addAll(obj.info().libraryLiterals());
      }
      for (String name : all) {
        if (++names > MAX_NAMES_PER_PROGRAM) {
          break;
        }
        if (!loaded.containsKey(name)) {
          files.addAll(search.likelyFiles(obj, name, rules, ldLibraryPath));
        }
      }
    }
    try {
      fs.prefetch(files);
    } catch (java.io.IOException e) {
      // each read then fetches its own file, and reports what it cannot read
    }
  }

  private static String parentOf(String path) {
    return FsPath.parent(path).orElse(FsPath.ROOT);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** What one closureOf call accumulates. */
  private static final class Acc {
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
      return new Closure(
          List.copyOf(dependencies), List.copyOf(unresolved), List.copyOf(broken.values()));
    }
  }
}
