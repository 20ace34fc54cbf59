package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.rootfs.FsIndex;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.LazyContent;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.trace.TracerBinary;
import dev.skinnywhale.workflow.run.Parallel;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An image's filesystem read lazily from a helper container instead of exported whole: a container
 * of the image, created with the tracer copied into {@link #DIR} and started as {@code tracer wait}
 * (network host, root: {@link HelperContainer#create}), is asked for its {@code index} once, and
 * for the content of regular files in batches through its {@code serve} mode (its {@code tar} mode,
 * an exec per batch, where that cannot be used: {@link HelperCalls}), as the steps ask for them.
 * The owner names an export would carry (the engine names uids and gids as its own host does) are
 * read once through the engine's archive call, from one empty file per distinct owner put into
 * {@link #DIR}. The helper container is removed when the filesystem is closed, and by the run's
 * cleanup.
 */
public final class HelperFilesystem {
  /** The helper's own directory in the container, left out of the index. */
  public static final String DIR = "/.skinnywhale-helper";

  static final String TRACER = DIR + "/tracer";
  static final int MAX_OWNERS = 1024;

  /**
   * The bytes of each file's start the index carries: enough for an ELF magic, a package's
   * data-only check and a whole #! line (2 + 255 bytes, as the closure and the script reader read),
   * so those reads fetch nothing.
   */
  static final int HEAD = 257;

  /** The most bytes of paths passed as arguments of one {@code tar} call. */
  static final int MAX_ARGV_BYTES = 96 * 1024;

  /** How long the helper idles for the steps' fetches: two days, past any --timeout (24 h). */
  static final long WAIT_SECONDS = 2 * 24 * 3600;

  private final Run run;
  private final DockerEngine engine;
  private final HelperCalls calls;

  public HelperFilesystem(Run run) {
    this.run = run;
    this.engine = run.engine();
    this.calls = new HelperCalls(run);
  }

  /**
   * Whether a helper may read {@code source}'s filesystem, as far as is known before there is an
   * image to make it of: this build has a tracer for its architecture, the engine can stream an
   * exec's output, and its config declares no volumes. {@link #read} may still decline.
   */
  public boolean mayRead(Source source) {
    JsonNode volumes = source.imageConfig().path("config").path("Volumes");
    return TracerBinary.exists(source.architecture())
        && engine.canStreamExec()
        && !(volumes.isObject() && volumes.size() > 0);
  }

  /**
   * The filesystem of {@code image}, a container of which has {@code source}'s filesystem (an image
   * source's own image, a container's committed probe image), with the same nodes and bytes as
   * {@link SourceReader#filesystem} gives: the mount points as a created container has them ({@link
   * MountPoints}), the entries the engine touched given the image's own metadata ({@link
   * EngineEntries}). Empty when this build has no tracer for the image's architecture, the engine
   * cannot stream an exec's output, or the image is one a helper cannot read as an export would
   * (volumes or other mounts, much below its mount points, a container of it does not start or
   * cannot be indexed, more owners than {@link #MAX_OWNERS}, a {@link #DIR} of its own): the caller
   * exports, and the reading of the image's own metadata started here is stopped.
   */
  public Optional<RootFs> read(String image, Source source) throws IOException {
    if (!mayRead(source)) {
      return Optional.empty();
    }
    Optional<byte[]> tracer = TracerBinary.forArchitecture(source.architecture());
    if (tracer.isEmpty()) {
      return Optional.empty();
    }
    String reference = source.reference();
    var config = engine.findImage(image).map(i -> i.imageConfig().path("config"));
    // a started container has a volume mounted at each VOLUME, hiding what the image has there
    boolean volumes =
        config.map(c -> c.path("Volumes")).map(v -> v.isObject() && v.size() > 0).orElse(true);
    if (volumes) {
      run.reporter().debug(reference + " declares volumes (or is gone): exporting it instead");
      return Optional.empty();
    }
    SourceReader reader = new SourceReader(run);
    boolean container = source.kind() == Source.Kind.CONTAINER;
    Set<String> touched =
        EngineEntries.touched(
            container ? "" : config.map(c -> c.path("WorkingDir").asText("")).orElse(""));
    var own = reader.ownEntries(source.imageId(), touched);
    run.reporter().debug("indexing the filesystem of " + reference + " in a helper container");
    boolean ok = false;
    try {
      Optional<RootFs> fs = indexed(image, tracer.get(), reference);
      if (fs.isEmpty()) {
        return fs;
      }
      try {
        Set<String> changes = container ? reader.containerChanges(source) : Set.of();
        RootFs done =
            reader.withImageMeta(
                container ? asInContainer(fs.get(), source, touched, changes) : fs.get(),
                own,
                touched,
                changes);
        ok = true;
        return Optional.of(done);
      } catch (IOException | RuntimeException e) {
        fs.get().close();
        throw e;
      }
    } finally {
      if (!ok) {
        own.cancel(true);
      }
    }
  }

  /** Why a helper cannot read an image as an export would; the export is then taken. */
  private static final class Unreadable extends Exception {
    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Something the helper asks of the engine. */
  @FunctionalInterface
  private interface Call<T> {
    T call() throws IOException, Unreadable;
  }

  /**
   * {@code call}, whose failure (but for an interruption, a cancellation or an engine that is gone)
   * means the image is one the helper cannot read.
   */
  private <T> T attempt(String what, Call<T> call) throws IOException, Unreadable {
    try {
      return call.call();
    } catch (dev.skinnywhale.docker.EngineException e) {
      if (e.is(dev.skinnywhale.docker.EngineException.Kind.INTERRUPTED)
          || e.is(dev.skinnywhale.docker.EngineException.Kind.UNAVAILABLE)) {
        throw e;
      }
      run.cancellation().check();
      throw new Unreadable(what + ": " + e.getMessage());
    } catch (java.io.InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      run.cancellation().check();
      throw new Unreadable(what + ": " + e.getMessage());
    }
  }

  /**
   * What one side of {@link #indexed} found: its value, or why the helper cannot read the image.
   */
  private record Outcome<T>(T value, Unreadable unreadable) {}

  private <T> Outcome<T> outcome(Call<T> call) throws IOException {
    try {
      return new Outcome<>(call.call(), null);
    } catch (Unreadable e) {
      return new Outcome<>(null, e);
    }
  }

  /** A started helper: its container, the handle that removes it, its index. */
  private record Started(String id, Runnable remove, FsIndex.Listing listing) {}

  /**
   * The helper's nodes (before the engine-touched entries are restored); empty to export. What an
   * export shows at the mount points is read from other containers of the image, created and never
   * started, beside the helper's start and index: the engine serialises the archive calls of one
   * container, and those seven calls would otherwise hold up the helper (about half a second on a
   * 2-core machine).
   */
  private Optional<RootFs> indexed(String image, byte[] tracer, String reference)
      throws IOException {
    ContainerSpec spec =
        new ContainerSpec(
            image,
            // longer than a run's probes may take (it is removed with the run)
            Optional.of(List.of(TRACER, "wait", String.valueOf(WAIT_SECONDS))),
            Optional.of(List.of()),
            List.of(),
            Optional.of("0:0"),
            // the image's own, which the engine makes when missing, as for an export
            Optional.empty(),
            "none",
            run.labels("helper"));
    Parallel.Pair<Outcome<List<FsNode>>, Outcome<Started>> sides =
        Parallel.both(
            () -> outcome(() -> mountPoints(spec)),
            () -> outcome(() -> started(spec, tracer)),
            side -> {
              if (side.value() != null) {
                side.value().remove().run();
              }
            });
    Outcome<List<FsNode>> mounts = sides.first();
    Outcome<Started> helper = sides.second();
    Unreadable unreadable = helper.unreadable() != null ? helper.unreadable() : mounts.unreadable();
    if (unreadable != null) {
      exporting(reference, unreadable);
      if (helper.value() != null) {
        helper.value().remove().run();
      }
      return Optional.empty();
    }
    String id = helper.value().id();
    Runnable remove = helper.value().remove();
    FsIndex.Listing listing = helper.value().listing();
    List<FsNode> mounted = mounts.value();
    LazyContent content = null;
    try {
      Optional<String> other =
          listing.entries().stream()
              .filter(e -> e.mountPoint() && !MountPoints.covers(e.path()))
              .map(FsIndex.Entry::path)
              .findFirst();
      if (other.isPresent()) {
        throw new Unreadable("something is mounted at " + other.get());
      }
      calls.openSessionAhead(id);
      Map<Long, String> users = new HashMap<>();
      Map<Long, String> groups = new HashMap<>();
      attempt(
          "its owners' names",
          () -> {
            calls.ownerNames(id, listing, users, groups);
            return null;
          });
      run.reporter()
          .debug("the helper's owners: " + users.size() + " users, " + groups.size() + " groups");
      LazyContent lazy =
          new LazyContent((paths, sink) -> calls.fetch(id, paths, sink), run.tempDir());
      content = lazy;
      List<FsNode> nodes = new ArrayList<>();
      for (FsNode n : FsIndex.nodes(listing, users, groups, lazy::blob)) {
        if (!MountPoints.covers(n.path())) {
          nodes.add(n);
        }
      }
      nodes.addAll(mounted);
      RootFs fs =
          RootFs.of(
              nodes,
              () -> {
                // the helper first: its removal ends a batch still waiting on it, which the
                // content's close would otherwise wait for
                try {
                  calls.closeSession();
                  remove.run();
                } finally {
                  lazy.close();
                }
              },
              new RootFs.Prefetcher() {
                @Override
                public void prefetch(java.util.Collection<String> files) throws IOException {
                  lazy.prefetch(files);
                }

                @Override
                public void release() throws IOException {
                  lazy.release();
                }
              });
      content = null; // fs owns it now
      try {
        SourceReader.requireUsable(fs, reference);
      } catch (RuntimeException e) {
        fs.close();
        throw e;
      }
      prefetchPackageDatabase(lazy, nodes);
      run.reporter().debug("the helper's filesystem: " + nodes.size() + " nodes");
      return Optional.of(fs);
    } catch (Unreadable e) {
      exporting(reference, e);
      calls.closeSession();
      remove.run();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      if (content != null) {
        content.close();
      }
      calls.closeSession();
      remove.run();
      throw e;
    }
  }

  /**
   * Fetches the package database's files (every run reads them next, {@link ReadPackages}) on a
   * thread of its own, while the filesystem is put together and its metadata restored: the fetch
   * only waits for the engine. A failure is left for the reader, which fetches them again; closing
   * the content waits for the fetch to end.
   */
  private void prefetchPackageDatabase(LazyContent lazy, List<FsNode> nodes) {
    List<String> files =
        nodes.stream()
            .filter(n -> n instanceof FsNode.RegularFile)
            .map(FsNode::path)
            .filter(p -> ReadPackages.DATABASES.stream().anyMatch(d -> FsPath.isUnder(p, d)))
            .toList();
    if (files.isEmpty()) {
      return;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                lazy.prefetch(files);
              } catch (IOException | RuntimeException e) {
                run.reporter()
                    .debug("the package database was not fetched ahead: " + e.getMessage());
              }
            },
            "skinnywhale-prefetch");
    thread.setDaemon(true);
    thread.start();
  }

  private void exporting(String reference, Unreadable why) {
    run.reporter()
        .debug("the helper cannot read " + reference + " (" + why.getMessage() + "): exporting it");
  }

  /** The helper created, started and indexed; removed again when that fails. */
  private Started started(ContainerSpec spec, byte[] tracer) throws IOException, Unreadable {
    String id = HelperContainer.create(run, spec);
    Runnable remove = removal(id);
    try {
      return new Started(id, remove, attempt("the index", () -> calls.index(id, tracer)));
    } catch (IOException | Unreadable | RuntimeException e) {
      remove.run();
      throw e;
    }
  }

  /**
   * How many created containers the mount points are read from, side by side: the engine takes one
   * container's archive calls one at a time, and the seven calls through one container held up the
   * helper's serve by about 0.3 s (2-core machine); a created container costs the engine little.
   */
  private static final int MOUNT_READERS = 3;

  /**
   * The nodes at the mount points of containers of the image that are created but never started,
   * which are removed again before this returns; Unreadable when it has a {@link #DIR} of its own.
   */
  private List<FsNode> mountPoints(ContainerSpec spec) throws IOException, Unreadable {
    List<String> ids = new ArrayList<>();
    List<Runnable> removals = new ArrayList<>();
    try {
      for (int i = 0; i < MOUNT_READERS; i++) {
        String id = engine.createContainer(spec);
        ids.add(id);
        removals.add(removal(id));
      }
      MountPoints.Read read =
          attempt("its mount points", () -> MountPoints.read(engine, ids, DIR))
              .orElseThrow(() -> new Unreadable("much below its mount points"));
      if (read.has()) {
        throw new Unreadable("it has a " + DIR + " of its own");
      }
      return read.nodes();
    } finally {
      removals.forEach(Runnable::run);
    }
  }

  private Runnable removal(String id) {
    return run.cleanup()
        .add(
            "helper container " + id.substring(0, Math.min(12, id.length())),
            () -> engine.removeContainer(id));
  }

  /**
   * {@code fs} (a helper's view of a container's committed image) with each entry the engine
   * touches that the user changed as the container itself has it: the helper's own init layer may
   * have touched it again ({@code /etc} gets a new mtime when the image lacks {@code /etc/hosts}).
   */
  private RootFs asInContainer(RootFs fs, Source source, Set<String> touched, Set<String> changes)
      throws IOException {
    Map<String, FsNode> replaced = new HashMap<>();
    for (String path : touched) {
      Optional<FsNode> node = fs.get(path);
      if (node.isPresent() && changes.contains(path)) {
        Optional<TarEntry> own = MountPoints.entry(engine, source.id(), path);
        if (own.isPresent()) {
          replaced.put(path, EngineEntries.withMeta(node.get(), own.get().meta()));
        }
      }
    }
    if (replaced.isEmpty()) {
      return fs;
    }
    return fs.withNodes(fs.nodes().map(n -> replaced.getOrDefault(n.path(), n)).toList());
  }
}
