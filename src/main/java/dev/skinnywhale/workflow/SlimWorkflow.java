package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.ClosureResolver;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.linker.Unresolved;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code skinnywhale <container|image>}: the change set, its static ELF closure, symlink hops and
 * parents become one layer of a new image that keeps the source's config.
 *
 * <p>Steps: find the source → read its filesystem → take the change set → static closure →
 * keep-plan → layer → archive → load (or write to a file). Nothing of the source is modified; every
 * temporary thing is registered with the {@link Cleanup} the moment it exists.
 */
public final class SlimWorkflow {
  /** Package caches, logs and docs: dropped from the change set unless --include names them. */
  public static final List<String> DEFAULT_EXCLUDES =
      List.of(
          "/var/cache/*",
          "/var/lib/apt/lists/*",
          "/var/log/*",
          "/usr/share/doc",
          "/usr/share/man",
          "/usr/share/info");

  private final DockerEngine engine;
  private final Reporter reporter;
  private final Clock clock;

  private final ProfileStore profiles;

  public SlimWorkflow(DockerEngine engine, Reporter reporter, Clock clock, ProfileStore profiles) {
    this.engine = engine;
    this.reporter = reporter;
    this.clock = clock;
    this.profiles = profiles;
  }

  public SlimResult run(SlimRequest request) throws IOException {
    Phases phases = new Phases(clock, reporter);
    checkOutput(request.output());
    try (Cleanup cleanup = new Cleanup(reporter);
        ShutdownGuard guard = ShutdownGuard.install(cleanup)) {
      Path tempDir = TempFiles.createDirectory(cleanup);
      SourceReader reader = new SourceReader(engine, reporter, tempDir);

      Source source = findSource(engine, reader, request, phases);
      String tag = tagFor(request.tag(), source);
      checkTag(engine, tag, source, request.output());

      try (RootFs fs =
          phases.run(
              "export",
              "reading the filesystem of " + request.target(),
              () -> reader.filesystem(source, cleanup))) {
        KeepStrategy keep = keepFor(request, source);
        KeepPlan.Builder plan = KeepPlan.builder();
        int changeSetSize = 0;
        if (keep == KeepStrategy.CHANGES) {
          SortedSet<String> changes =
              phases.run(
                  "export",
                  "taking the change set",
                  () -> changeSet(request, source, fs, reader, cleanup));
          SortedSet<String> kept = filterDefaults(changes, request, fs);
          reporter.debug(
              changes.size()
                  + " paths in the change set, "
                  + kept.size()
                  + " after the default excludes");
          kept.forEach(path -> plan.add(path, Reason.CHANGE_SET));
          changeSetSize = kept.size();
        }
        if (!request.profiles().isEmpty()) {
          phases.run(
              "profile",
              "applying profiles " + String.join(", ", request.profiles()),
              () ->
                  Profiles.apply(
                      plan,
                      fs,
                      source,
                      Profiles.load(profiles, request.profiles(), fs, reporter),
                      request.strictProfiles(),
                      reporter));
        } else {
          suggestProfiles(fs, plan.build());
        }
        addRequested(plan, fs, request, reporter);
        addRuntimeConfig(plan, fs, source, Optional.empty(), Optional.empty());
        if (plan.build().entries().isEmpty()) {
          throw new UnusableInputException(
              "nothing to keep: the change set is empty and no profile or --include names a file");
        }

        Closure closure = resolveClosure(plan, fs, source, phases, reporter);
        ImageMaker.Made made =
            new ImageMaker(engine, reporter, cleanup)
                .make(fs, plan.build(), source, tag, request.output(), tempDir, phases);
        AssemblyPlan assembly = made.plan();
        long slimSize = made.slimSize();
        return new SlimResult(
            source,
            tag,
            request.output(),
            source.size(),
            slimSize,
            changeSetSize,
            closure,
            assembly,
            phases.timings());
      }
    }
  }

  /** Checks the engine answers, finds the source, and checks --base goes with it. */
  static Source findSource(
      DockerEngine engine, SourceReader reader, SlimRequest request, Phases phases) {
    phases.run(
        "inspect",
        "connecting to the Docker engine",
        () -> {
          engine.ping();
          return null;
        });
    Source source =
        phases.run(
            "inspect", "looking up " + request.target(), () -> reader.find(request.target()));
    if (request.base().isPresent() && source.kind() == Source.Kind.CONTAINER) {
      throw new UnusableInputException(
          "--base applies to images; the change set of container "
              + request.target()
              + " is taken against its own image");
    }
    return source;
  }

  /**
   * A static slim cannot see what programs load at run time (NSS modules, time zones,
   * certificates); when a known profile matches the image and names files the plan does not keep,
   * says which profiles --profile auto would add. Reading only: the plan is not changed.
   */
  private void suggestProfiles(RootFs fs, KeepPlan plan) {
    try {
      List<String> useful = new ArrayList<>();
      var known = profiles.list().stream().map(s -> s.profile()).toList();
      for (var profile : dev.skinnywhale.profile.ProfileApplier.auto(fs, known)) {
        var applied = dev.skinnywhale.profile.ProfileApplier.apply(fs, profile);
        if (applied.paths().stream()
            .anyMatch(
                p ->
                    !plan.entries().containsKey(p)
                        && fs.get(p).filter(n -> n instanceof FsNode.RegularFile).isPresent())) {
          useful.add(profile.name());
        }
      }
      if (!useful.isEmpty()) {
        reporter.info(
            "note: the static closure does not see files loaded at run time; --profile auto would"
                + " also keep those of: "
                + String.join(", ", useful)
                + " (or run `skinnywhale trace`)");
      }
    } catch (RuntimeException e) {
      reporter.debug("no profile suggestion: " + e.getMessage());
    }
  }

  /** Refuses, before any work, a tag that would be taken away from the source image itself. */
  static void checkTag(DockerEngine engine, String tag, Source source, Optional<Path> output) {
    if (output.isEmpty()
        && engine.findImage(tag).filter(i -> i.id().equals(source.imageId())).isPresent()) {
      throw new UnusableInputException(
          "the tag " + tag + " names the source image itself; choose another --tag");
    }
  }

  /** Fails before any work when the archive could not be written where asked. */
  static void checkOutput(Optional<Path> output) throws IOException {
    if (output.isEmpty()) {
      return;
    }
    Path dir = output.get().toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString());
    }
    if (Files.isDirectory(output.get())) {
      throw new java.nio.file.FileAlreadyExistsException(
          output.get().toString(), null, "is a directory");
    }
  }

  /**
   * The strategy asked for; by default the change set for a container, and for an image given
   * profiles only what the profiles name (an image without --base is all change set).
   */
  static KeepStrategy keepFor(SlimRequest request, Source source) {
    return request
        .keep()
        .orElse(
            source.kind() == Source.Kind.IMAGE && !request.profiles().isEmpty()
                ? KeepStrategy.TRACED
                : KeepStrategy.CHANGES);
  }

  /** {@code skinny-<id12>:latest}, or the user's tag with ":latest" added when it has none. */
  static String tagFor(Optional<String> requested, Source source) {
    String tag = requested.orElse("skinny-" + source.shortId());
    int slash = tag.lastIndexOf('/');
    return tag.indexOf(':', slash + 1) >= 0 ? tag : tag + ":latest";
  }

  static SortedSet<String> changeSet(
      SlimRequest request, Source source, RootFs fs, SourceReader reader, Cleanup cleanup)
      throws IOException {
    if (source.kind() == Source.Kind.CONTAINER) {
      return reader.containerChanges(source);
    }
    if (request.base().isEmpty()) {
      SortedSet<String> all = new TreeSet<>();
      fs.nodes()
          .filter(n -> !SourceReader.ENGINE_PLACEHOLDERS.contains(n.path()))
          .forEach(n -> all.add(n.path()));
      return all;
    }
    var base = reader.findImage(request.base().get());
    try (RootFs baseFs = reader.imageFilesystem(base.id(), request.base().get(), cleanup)) {
      return SourceReader.difference(fs, baseFs);
    }
  }

  /**
   * Drops the files of package caches, logs and docs unless the user turned that off or included
   * them. Their directories stay (empty): a program may write its log or cache there.
   */
  static SortedSet<String> filterDefaults(
      SortedSet<String> changes, SlimRequest request, RootFs fs) {
    if (!request.defaultExcludes()) {
      return changes;
    }
    List<PathGlob> cruft = DEFAULT_EXCLUDES.stream().map(PathGlob::new).toList();
    List<PathGlob> includes =
        request.includes().stream().map(FsPath::fromText).map(PathGlob::new).toList();
    SortedSet<String> out = new TreeSet<>();
    for (String path : changes) {
      boolean isCruft = cruft.stream().anyMatch(g -> g.matches(path));
      boolean included = includes.stream().anyMatch(g -> g.matches(path));
      boolean directory = fs.get(path).filter(n -> n instanceof FsNode.Directory).isPresent();
      if (!isCruft || included || directory) {
        out.add(path);
      }
    }
    return out;
  }

  /**
   * What the image config needs to start at all, which no trace sees because the engine, not the
   * program, uses it: the entrypoint program (or the command's, without an entrypoint) found on the
   * image's PATH, the working directory (with its owner and mode), and /etc/passwd and /etc/group
   * when the config or the probe names a user by name (the engine looks the name up there).
   */
  static void addRuntimeConfig(
      KeepPlan.Builder plan,
      RootFs fs,
      Source source,
      Optional<String> extraUser,
      Optional<String> extraWorkdir) {
    com.fasterxml.jackson.databind.JsonNode config = source.imageConfig().path("config");
    List<String> users = new ArrayList<>();
    if (!config.path("User").asText("").isEmpty()) {
      users.add(config.path("User").asText());
    }
    extraUser.ifPresent(users::add);
    boolean byName =
        users.stream()
            .flatMap(u -> java.util.Arrays.stream(u.split(":")))
            .anyMatch(part -> !part.isEmpty() && !part.chars().allMatch(Character::isDigit));
    if (byName) {
      for (String db : List.of("/etc/passwd", "/etc/group")) {
        if (fs.resolve(db).found()) {
          plan.add(db, Reason.CONFIG);
        }
      }
    }
    List<String> dirs = new ArrayList<>();
    // /tmp (empty, with its mode): where mktemp, tempfile and most runtimes write.
    dirs.add("/tmp");
    if (!config.path("WorkingDir").asText("").isEmpty()) {
      dirs.add(config.path("WorkingDir").asText());
    }
    extraWorkdir.ifPresent(dirs::add);
    for (String dir : dirs) {
      var r = fs.resolve(FsPath.fromText(dir));
      if (r.found() && r.node().orElseThrow() instanceof FsNode.Directory) {
        r.hops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
        plan.add(r.finalPath(), Reason.CONFIG);
      }
    }
    com.fasterxml.jackson.databind.JsonNode argv =
        config.path("Entrypoint").isArray() && config.path("Entrypoint").size() > 0
            ? config.path("Entrypoint")
            : config.path("Cmd");
    if (argv.isArray() && argv.size() > 0) {
      String program = FsPath.fromText(argv.get(0).asText(""));
      findProgram(fs, program, LinkerEnv.fromImageEnv(source.env()).path())
          .ifPresent(
              r -> {
                r.hops().forEach(hop -> plan.add(hop, Reason.SYMLINK_HOP));
                plan.add(r.finalPath(), Reason.CONFIG);
              });
    }
  }

  /** A program as exec would find it: a path with '/' as is, a bare name on PATH. */
  static Optional<dev.skinnywhale.rootfs.Resolution> findProgram(
      RootFs fs, String program, List<String> path) {
    if (program.isEmpty()) {
      return Optional.empty();
    }
    List<String> candidates =
        program.contains("/")
            ? List.of(FsPath.normalize(program))
            : path.stream().map(dir -> FsPath.resolve(dir, program)).toList();
    for (String candidate : candidates) {
      var r = fs.resolve(candidate);
      if (r.found() && fs.regularFile(r.node().orElseThrow()).isPresent()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** --include globs, --brute-lib and --brute-usr-lib, and --exclude globs. */
  static void addRequested(
      KeepPlan.Builder plan, RootFs fs, SlimRequest request, Reporter reporter) {
    for (String text : request.includes()) {
      String include = FsPath.fromText(text);
      if (isLiteral(include)) {
        String path = FsPath.normalize(include);
        if (fs.resolveNoFollow(path).found()) {
          plan.addRecursive(path, Reason.INCLUDE);
        } else {
          reporter.warn("--include " + text + ": not in the image");
        }
        continue;
      }
      List<PathGlob> globs = globWithAliases(include, fs);
      List<FsNode> matched = fs.matching(path -> globs.stream().anyMatch(g -> g.matches(path)));
      if (matched.isEmpty()) {
        reporter.warn("--include " + text + ": matches nothing in the image");
      }
      for (FsNode node : matched) {
        plan.addRecursive(node.path(), Reason.INCLUDE);
      }
    }
    if (request.bruteLib()) {
      addBrute(plan, fs, "/lib");
    }
    if (request.bruteUsrLib()) {
      addBrute(plan, fs, "/usr/lib");
    }
    for (String exclude : request.excludes()) {
      plan.exclude(new PathGlob(FsPath.fromText(exclude)));
    }
  }

  /**
   * The glob, and the same glob below the real directory when its literal leading directories pass
   * a symlink (usrmerge: /lib/x86_64-linux-gnu/libc.so* also as /usr/lib/x86_64-linux-gnu/...).
   */
  static List<PathGlob> globWithAliases(String glob, RootFs fs) {
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
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
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

  /** Every regular file the plan keeps (recursive entries expanded): the closure's roots. */
  static List<String> closureRoots(RootFs fs, KeepPlan plan) {
    SortedSet<String> roots = new TreeSet<>();
    for (var entry : plan.entries().values()) {
      // Resolve through symlinked directories (/lib -> usr/lib) to the real node.
      var resolved = fs.resolve(entry.path());
      if (!resolved.found()) {
        continue;
      }
      Collection<FsNode> nodes =
          entry.recursive()
              ? fs.subtree(resolved.finalPath())
              : List.of(resolved.node().orElseThrow());
      for (FsNode node : nodes) {
        if (node instanceof FsNode.RegularFile || node instanceof FsNode.HardLink) {
          roots.add(node.path());
        }
      }
    }
    return new ArrayList<>(roots);
  }

  /**
   * The dynamic loader reads its own configuration at every start: glibc's /etc/ld.so.cache (a
   * library in a directory that only ld.so.conf names is found through it alone) and musl's
   * /etc/ld-musl-ARCH.path. They are kept with the closure whenever the image has them.
   */
  static void addLoaderConfig(KeepPlan.Builder plan, RootFs fs) {
    if (fs.get("/etc/ld.so.cache").isPresent()) {
      plan.add("/etc/ld.so.cache", Reason.STATIC_CLOSURE);
    }
    for (FsNode node : fs.children("/etc")) {
      String name = FsPath.name(node.path());
      if (name.startsWith("ld-musl-") && name.endsWith(".path")) {
        plan.add(node.path(), Reason.STATIC_CLOSURE);
      }
    }
  }

  static void addClosure(KeepPlan.Builder plan, Closure closure) {
    for (Dependency d : closure.dependencies()) {
      plan.add(d.finalPath(), Reason.STATIC_CLOSURE);
      if (!d.path().equals(d.finalPath())) {
        plan.add(d.path(), Reason.SYMLINK_HOP);
      }
      for (String hop : d.hops()) {
        plan.add(hop, Reason.SYMLINK_HOP);
      }
    }
  }

  /**
   * Resolves the static closure of every file the plan keeps and adds it to the plan. A needed
   * library that no search finds but that the image keeps under that file name anyway (the JDK's
   * libjvm.so, which the launcher dlopens from lib/server before anything needs it) is satisfied at
   * run time the way glibc matches an already loaded object; it is reported with --debug only.
   */
  static Closure resolveClosure(
      KeepPlan.Builder plan, RootFs fs, Source source, Phases phases, Reporter reporter) {
    List<String> roots = closureRoots(fs, plan.build());
    Closure closure =
        phases.run(
            "resolve",
            "resolving shared libraries",
            () -> new ClosureResolver(fs, LinkerEnv.fromImageEnv(source.env())).closureOf(roots));
    addClosure(plan, closure);
    if (!closure.dependencies().isEmpty()) {
      addLoaderConfig(plan, fs);
    }
    java.util.Map<String, String> keptByName = new java.util.TreeMap<>();
    for (String root : roots) {
      keptByName.putIfAbsent(FsPath.name(root), root);
    }
    for (Dependency d : closure.dependencies()) {
      keptByName.putIfAbsent(FsPath.name(d.finalPath()), d.finalPath());
    }
    List<Unresolved> unresolved = new ArrayList<>();
    SortedSet<String> reported = new TreeSet<>();
    for (Unresolved u : closure.unresolved()) {
      if (u.kind() == dev.skinnywhale.linker.DependencyKind.SCRIPT_INTERPRETER
          && !u.name().startsWith("/")) {
        // "#!./perl" and the like: relative to a working directory nobody knows.
        reporter.debug("relative script interpreter " + u.name() + " of " + u.neededBy());
        continue;
      }
      String kept = keptByName.get(u.name());
      if (kept != null) {
        reporter.debug(
            u.name() + " (needed by " + u.neededBy() + ") is found at run time as " + kept);
        continue;
      }
      if (reported.add(u.name() + "\0" + u.neededBy())) {
        unresolved.add(u);
        reporter.warn(u.name() + " (needed by " + u.neededBy() + ") not found: " + u.reason());
      }
    }
    closure.broken().forEach(b -> reporter.warn("skipped " + b.path() + ": " + b.reason()));
    return new Closure(closure.dependencies(), unresolved, closure.broken());
  }
}
