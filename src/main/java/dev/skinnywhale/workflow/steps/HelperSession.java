package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.HelperFilesystem.TRACER;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.ExecSession;
import dev.skinnywhale.rootfs.LazyContent;
import dev.skinnywhale.tar.HelperTar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The helper's {@code tracer serve}, one exec with its stdin attached that answers every batch of a
 * filesystem, so a batch costs a request on a stream instead of an exec of its own (measured here:
 * 70-100 ms per exec). A request is the paths NUL-terminated and an empty one; the answer is the
 * tar stream {@code tracer tar} would write for them in 'D' frames (a kind byte, three zero bytes,
 * a 32-bit big-endian length), then an 'E' frame whose length field is the status {@code tracer
 * tar} would exit with. An empty request answered in time opens it; an answer cut short or
 * malformed breaks it, and it then refuses every batch.
 */
final class HelperSession implements AutoCloseable {
  /** How long the first, empty request may take to be answered. */
  static final Duration HANDSHAKE = Duration.ofSeconds(20);

  private final ExecSession exec;
  private boolean broken;

  private HelperSession(ExecSession exec) {
    this.exec = exec;
  }

  /** The serve exec of helper container {@code id}, answering; an IOException if it does not. */
  static HelperSession open(DockerEngine engine, String id) throws IOException {
    ExecSession exec = engine.execSession(id, List.of(TRACER, "serve"));
    HelperSession session = new HelperSession(exec);
    CompletableFuture<Void> answered =
        CompletableFuture.runAsync(
            () -> {
              try {
                session.fetch(List.of(), (path, size, in) -> {});
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            r -> {
              Thread t = new Thread(r, "skinnywhale-helper-session");
              t.setDaemon(true);
              t.start();
            });
    try {
      answered.get(HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
      return session;
    } catch (TimeoutException | ExecutionException e) {
      exec.close(); // unblocks a read still waiting
      Throwable why = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException(
          "the helper's serve did not answer"
              + (why instanceof TimeoutException ? " in " + HANDSHAKE.toSeconds() + " s" : "")
              + ": "
              + why.getMessage(),
          why);
    } catch (InterruptedException e) {
      exec.close();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("waiting for the helper's serve");
    }
  }

  /** One batch: the content of each of {@code paths} that is a regular file, to {@code sink}. */
  synchronized void fetch(List<String> paths, LazyContent.Sink sink) throws IOException {
    if (broken) {
      throw new IOException("the helper's serve broke off at an earlier batch");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    for (String p : paths) {
      if (p.indexOf(0) >= 0) {
        throw new IllegalArgumentException("a path with a NUL byte");
      }
      request.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
      request.write(0);
    }
    request.write(0);
    boolean inStep = false;
    try {
      exec.send(request.toByteArray());
      Answer answer = new Answer(exec.output());
      HelperTar.read(answer, paths, sink);
      answer.transferTo(java.io.OutputStream.nullOutputStream());
      inStep = true;
      if (answer.status != 0) {
        throw new IOException(
            "the helper's tar ended with exit code "
                + answer.status
                + ": "
                + exec.output().stderr().strip());
      }
    } finally {
      if (!inStep) {
        broken = true;
      }
    }
  }

  /** Whether an answer was cut short or malformed (or the session closed): it takes no more. */
  synchronized boolean broken() {
    return broken;
  }

  @Override
  public synchronized void close() throws IOException {
    broken = true;
    exec.close();
  }

  /** One answer's tar stream, read from its frames up to its 'E' frame; never closes the exec's. */
  static final class Answer extends InputStream {
    private final InputStream in;
    private final byte[] head = new byte[8];
    private long left;
    private boolean ended;
    long status = -1;

    Answer(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (left == 0) {
        if (ended) {
          return -1;
        }
        frame();
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the helper's answer ended inside a frame");
      }
      left -= n;
      return n;
    }

    private void frame() throws IOException {
      if (in.readNBytes(head, 0, 8) != 8) {
        throw new IOException("the helper's answer ended before its end frame");
      }
      long n =
          ((head[4] & 0xffL) << 24)
              | ((head[5] & 0xff) << 16)
              | ((head[6] & 0xff) << 8)
              | (head[7] & 0xff);
      if (head[1] != 0 || head[2] != 0 || head[3] != 0 || (head[0] != 'D' && head[0] != 'E')) {
        throw new IOException("the helper's answer has a malformed frame header");
      }
      if (head[0] == 'D') {
        left = n;
      } else {
        ended = true;
        status = n;
      }
    }

    @Override
    public void close() {}
  }
}
