package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.HelperFilesystem.DIR;
import static dev.skinnywhale.workflow.steps.HelperFilesystem.HEAD;
import static dev.skinnywhale.workflow.steps.HelperFilesystem.MAX_ARGV_BYTES;
import static dev.skinnywhale.workflow.steps.HelperFilesystem.MAX_OWNERS;
import static dev.skinnywhale.workflow.steps.HelperFilesystem.TRACER;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.ExecStream;
import dev.skinnywhale.rootfs.FsIndex;
import dev.skinnywhale.rootfs.LazyContent;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.HelperTar;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.tar.TarStreamWriter;
import dev.skinnywhale.workflow.run.Run;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link HelperFilesystem} asks of its helper container through the engine: the tracer copied
 * in and started, its {@code index}, the owners' names, and the content of files through its {@code
 * serve} mode ({@link HelperSession}), or where that cannot be opened its {@code tar} mode, an exec
 * per batch.
 */
final class HelperCalls {
  private final Run run;
  private final DockerEngine engine;
  private int lists;
  // the serve session of the one helper these calls are for: opened once, on a thread of its own
  private CompletableFuture<Optional<HelperSession>> opening;
  private String sessionOf;
  private boolean perExec;

  HelperCalls(Run run) {
    this.run = run;
    this.engine = run.engine();
  }

  /** Copies the tracer into the helper, starts it and takes its index. */
  FsIndex.Listing index(String id, byte[] tracer) throws IOException {
    engine.copyInto(id, "/", new ByteArrayInputStream(helperDir(tracer)));
    engine.start(id);
    long start = System.nanoTime();
    try (ExecStream out =
        engine.execStream(
            id, List.of(TRACER, "index", "--head", String.valueOf(HEAD), "--exclude", DIR))) {
      FsIndex.Listing listing = new FsIndex().read(out);
      out.transferTo(OutputStreamSink.NULL);
      checkExit(out, "index");
      run.reporter()
          .debug(
              "the helper's index: "
                  + listing.entries().size()
                  + " entries in "
                  + (System.nanoTime() - start) / 1_000_000
                  + " ms");
      return listing;
    }
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
  void ownerNames(
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
   * One batch: a request on the helper's serve session, or where that cannot be used (or broke off)
   * an exec of its {@code tar} mode ({@link #fetchByExec}).
   */
  void fetch(String id, List<String> paths, LazyContent.Sink sink) throws IOException {
    // a batch through the session makes no engine call that would notice a cancelled run
    run.cancellation().check();
    long start = System.nanoTime();
    long[] size = new long[1];
    LazyContent.Sink counting =
        (path, length, in) -> {
          size[0] += length;
          sink.accept(path, length, in);
        };
    Optional<HelperSession> serving = session(id);
    if (serving.isPresent()) {
      try {
        serving.get().fetch(paths, counting);
      } catch (IOException e) {
        if (!serving.get().broken()) {
          throw e; // an answer in step: a path it could not read, as an exec's would say
        }
        endSession();
        if (serving.get().brokenBySink()) {
          throw e; // the content's own failure (a file that changed, a full disk): no retry
        }
        // what was stored is not stored again; the rest comes by exec, as later batches do
        run.reporter()
            .debug("the helper's serve broke off (" + e.getMessage() + "): an exec per batch");
        size[0] = 0;
        serving = Optional.empty();
        fetchByExec(id, paths, counting);
      }
    } else {
      fetchByExec(id, paths, counting);
    }
    run.reporter()
        .debug(
            "read "
                + (paths.size() == 1 ? paths.get(0) : paths.size() + " files")
                + " ("
                + size[0] / 1024
                + " KB) from the helper container "
                + (serving.isPresent() ? "through its serve" : "by an exec")
                + " in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
  }

  /**
   * The serve session of helper {@code id}, waited for (it opens within {@link
   * HelperSession#HANDSHAKE}, or not at all); empty when it cannot be opened (an engine that cannot
   * attach an exec's stdin, say) or was ended: every batch is then an exec.
   */
  private Optional<HelperSession> session(String id) throws IOException {
    CompletableFuture<Optional<HelperSession>> open;
    synchronized (this) {
      if (perExec) {
        return Optional.empty();
      }
      open = opening(id);
    }
    try {
      // open() gives up after the handshake's limit; this is a backstop
      return open.get(
          HelperSession.HANDSHAKE.toMillis() + 10_000, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("waiting for the helper's serve");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      synchronized (this) {
        perExec = true; // open() catches what it can; an Error, or a thread that never ran
      }
      return Optional.empty();
    }
  }

  /** The opening of the session of helper {@code id}, started at the first ask. */
  private synchronized CompletableFuture<Optional<HelperSession>> opening(String id) {
    if (opening == null) {
      sessionOf = id;
      CompletableFuture<Optional<HelperSession>> f = new CompletableFuture<>();
      opening = f;
      Thread t =
          new Thread(
              () -> {
                try {
                  f.complete(open(id));
                } catch (Throwable e) {
                  f.completeExceptionally(e);
                }
              },
              "skinnywhale-helper-session");
      t.setDaemon(true);
      try {
        t.start();
      } catch (OutOfMemoryError | RuntimeException e) {
        f.completeExceptionally(e); // no thread for it: every batch an exec
      }
    } else if (!id.equals(sessionOf)) {
      throw new IllegalStateException("a serve session of " + sessionOf + " asked for " + id);
    }
    return opening;
  }

  private Optional<HelperSession> open(String id) {
    try {
      return Optional.of(HelperSession.open(engine, id));
    } catch (IOException | RuntimeException e) {
      run.reporter()
          .debug("the helper's serve cannot be used (" + e.getMessage() + "): an exec per batch");
      synchronized (this) {
        perExec = true;
      }
      return Optional.empty();
    }
  }

  /**
   * Starts opening the serve session of helper {@code id} while the filesystem is put together, so
   * the first batch does not wait for it (a batch meanwhile waits for it to open).
   */
  synchronized void openSessionAhead(String id) {
    if (!perExec) {
      opening(id);
    }
  }

  /**
   * Ends the serve session, if one was opened or is opening (the helper's removal would end it
   * too), without waiting for a batch or the opening (an opened one is closed here, which waits up
   * to a second for the transport to take its input's end); later batches, if any, are execs.
   */
  void closeSession() {
    endSession();
  }

  private synchronized void endSession() {
    perExec = true;
    if (opening != null) {
      opening.thenAccept(s -> s.ifPresent(HelperSession::close));
    }
  }

  /**
   * One batch, one {@code tar} call streaming it all: the paths as its arguments when they are
   * ASCII and short enough for the engine's JSON and the kernel's argument limit, else a list
   * copied in as a file first.
   */
  private void fetchByExec(String id, List<String> paths, LazyContent.Sink sink)
      throws IOException {
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
