package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.ExecStream;
import dev.skinnywhale.rootfs.FsIndex;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.LazyContent;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.HelperTar;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.tar.TarStreamWriter;
import dev.skinnywhale.trace.TracerBinary;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An image's filesystem read lazily from a helper container instead of exported whole: a container
 * of the image, created with the tracer copied into {@link #DIR} and started as {@code tracer wait}
 * (network none, root), is asked for its {@code index} once, and for the content of regular files
 * in batches through its {@code tar} mode, as the steps ask for them. The owner names an export
 * would carry (the engine names uids and gids as its own host does) are read once through the
 * engine's archive call, from one empty file per distinct owner put into {@link #DIR}. The helper
 * container is removed when the filesystem is closed, and by the run's cleanup.
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
  private int lists;

  public HelperFilesystem(Run run) {
    this.run = run;
    this.engine = run.engine();
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
    Optional<byte[]> tracer = TracerBinary.forArchitecture(source.architecture());
    if (tracer.isEmpty() || !engine.canStreamExec()) {
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

  /** The helper's nodes (before the engine-touched entries are restored); empty to export. */
  private Optional<RootFs> indexed(String image, byte[] tracer, String reference)
      throws IOException {
    String id =
        engine.createContainer(
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
                run.labels("helper")));
    Runnable remove =
        run.cleanup()
            .add(
                "helper container " + id.substring(0, Math.min(12, id.length())),
                () -> engine.removeContainer(id));
    LazyContent content = null;
    try {
      List<FsNode> mounted =
          attempt("its mount points", () -> MountPoints.read(engine, id))
              .orElseThrow(() -> new Unreadable("much below its mount points"));
      if (attempt("its " + DIR, () -> MountPoints.entry(engine, id, DIR)).isPresent()) {
        throw new Unreadable("it has a " + DIR + " of its own");
      }
      FsIndex.Listing listing = attempt("the index", () -> index(id, tracer));
      Optional<String> other =
          listing.entries().stream()
              .filter(e -> e.mountPoint() && !MountPoints.covers(e.path()))
              .map(FsIndex.Entry::path)
              .findFirst();
      if (other.isPresent()) {
        throw new Unreadable("something is mounted at " + other.get());
      }
      Map<Long, String> users = new HashMap<>();
      Map<Long, String> groups = new HashMap<>();
      attempt(
          "its owners' names",
          () -> {
            ownerNames(id, listing, users, groups);
            return null;
          });
      LazyContent lazy = new LazyContent((paths, sink) -> fetch(id, paths, sink), run.tempDir());
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
                try {
                  lazy.close();
                } finally {
                  remove.run();
                }
              },
              lazy::prefetch);
      content = null; // fs owns it now
      try {
        SourceReader.requireUsable(fs, reference);
      } catch (RuntimeException e) {
        fs.close();
        throw e;
      }
      return Optional.of(fs);
    } catch (Unreadable e) {
      run.reporter()
          .debug("the helper cannot read " + reference + " (" + e.getMessage() + "): exporting it");
      remove.run();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      if (content != null) {
        content.close();
      }
      remove.run();
      throw e;
    }
  }

  /** Starts the helper and takes its index. */
  private FsIndex.Listing index(String id, byte[] tracer) throws IOException {
    engine.copyInto(id, "/", new ByteArrayInputStream(helperDir(tracer)));
    engine.start(id);
    try (ExecStream out =
        engine.execStream(
            id, List.of(TRACER, "index", "--head", String.valueOf(HEAD), "--exclude", DIR))) {
      FsIndex.Listing listing = new FsIndex().read(out);
      out.transferTo(OutputStreamSink.NULL);
      checkExit(out, "index");
      return listing;
    }
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

  private static byte[] helperDir(byte[] tracer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter tar = new TarStreamWriter(bytes);
    tar.addDirectory(DIR.substring(1), NodeMeta.of(0700));
    tar.addFile(
        TRACER.substring(1),
        new NodeMeta(0755, 0, 0, "", "", Instant.EPOCH, Map.of()),
        tracer.length,
        new ByteArrayInputStream(tracer));
    tar.finish();
    return bytes.toByteArray();
  }

  /**
   * The engine's names of the listing's owners: an empty file per distinct (uid, gid) copied in,
   * then the directory copied out, whose headers the engine fills in as an export's.
   */
  private void ownerNames(
      String id, FsIndex.Listing listing, Map<Long, String> users, Map<Long, String> groups)
      throws IOException {
    Set<List<Long>> owners = new LinkedHashSet<>();
    owners.add(List.of(0L, 0L));
    for (FsIndex.Entry e : listing.entries()) {
      owners.add(List.of(e.uid(), e.gid()));
      if (owners.size() > MAX_OWNERS) {
        throw new IOException("more than " + MAX_OWNERS + " owners");
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter tar = new TarStreamWriter(bytes);
    String dir = DIR.substring(1) + "/owners";
    tar.addDirectory(dir, NodeMeta.of(0700));
    for (List<Long> o : owners) {
      NodeMeta meta = new NodeMeta(0600, o.get(0), o.get(1), "", "", Instant.EPOCH, Map.of());
      tar.addFile(dir + "/" + o.get(0) + "-" + o.get(1), meta, 0, InputStream.nullInputStream());
    }
    tar.finish();
    engine.copyInto(id, "/", new ByteArrayInputStream(bytes.toByteArray()));
    try (TarStreamReader entries = new TarStreamReader(engine.copyOut(id, "/" + dir))) {
      for (Optional<TarEntry> e = entries.next(); e.isPresent(); e = entries.next()) {
        NodeMeta m = e.get().meta();
        if (e.get().type() == TarEntry.Type.FILE) {
          users.putIfAbsent(m.uid(), m.userName());
          groups.putIfAbsent(m.gid(), m.groupName());
        }
      }
    }
  }

  /**
   * One batch, one {@code tar} call streaming it all: the paths as its arguments when they are
   * ASCII and short enough for the engine's JSON and the kernel's argument limit, else a list
   * copied in as a file first.
   */
  private void fetch(String id, List<String> paths, LazyContent.Sink sink) throws IOException {
    List<String> argv = new ArrayList<>(List.of(TRACER, "tar"));
    long bytes = 0;
    boolean plain = true;
    for (String p : paths) {
      bytes += p.length() + 1;
      plain &= p.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
    if (plain && bytes <= MAX_ARGV_BYTES) {
      argv.add("--");
      argv.addAll(paths);
    } else {
      argv.addAll(List.of("--from", listFile(id, paths)));
    }
    run.reporter()
        .debug(
            "reading "
                + (paths.size() == 1 ? paths.get(0) : paths.size() + " files")
                + " from the helper container");
    try (ExecStream out = engine.execStream(id, argv)) {
      HelperTar.read(new NonClosing(out), paths, sink);
      out.transferTo(OutputStreamSink.NULL);
      checkExit(out, "tar");
    }
  }

  /** The paths NUL-separated in a file of the helper's directory; its path there. */
  private String listFile(String id, List<String> paths) throws IOException {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (String p : paths) {
      list.write(p.getBytes(StandardCharsets.ISO_8859_1));
      list.write(0);
    }
    String name = DIR + "/list-" + (++lists);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter tar = new TarStreamWriter(bytes);
    byte[] text = list.toByteArray();
    tar.addFile(
        name.substring(1),
        new NodeMeta(0600, 0, 0, "", "", Instant.EPOCH, Map.of()),
        text.length,
        new ByteArrayInputStream(text));
    tar.finish();
    engine.copyInto(id, "/", new ByteArrayInputStream(bytes.toByteArray()));
    return name;
  }

  private static void checkExit(ExecStream out, String mode) throws IOException {
    Optional<Integer> code = out.exitCode();
    if (code.isEmpty() || code.get() != 0) {
      throw new IOException(
          "the helper's "
              + mode
              + " ended with "
              + code.map(c -> "exit code " + c).orElse("no exit code")
              + ": "
              + out.stderr().strip());
    }
  }

  /** Lets the reader close its view without closing the exec stream, still read to its end. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }

  private static final class OutputStreamSink {
    static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();

    private OutputStreamSink() {}
  }
}
