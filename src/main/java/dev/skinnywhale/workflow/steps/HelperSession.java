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
  /** How long the serve may take to start and answer its first, empty request. */
  static final Duration HANDSHAKE = Duration.ofSeconds(20);

  private final ExecSession exec;
  private volatile boolean broken;
  private volatile IOException sinkFailure;

  private HelperSession(ExecSession exec) {
    this.exec = exec;
  }

  /**
   * The serve exec of helper container {@code id}, answering; an IOException if it cannot be
   * started or does not answer within {@link #HANDSHAKE} (its exec, should it start later, is
   * closed then).
   */
  static HelperSession open(DockerEngine engine, String id) throws IOException {
    java.util.concurrent.atomic.AtomicBoolean abandoned =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<ExecSession> started =
        new java.util.concurrent.atomic.AtomicReference<>();
    CompletableFuture<HelperSession> answered =
        CompletableFuture.supplyAsync(
            () -> {
              ExecSession exec = engine.execSession(id, List.of(TRACER, "serve"));
              started.set(exec);
              if (abandoned.get()) {
                closeQuietly(exec);
                throw new IllegalStateException("given up before it started");
              }
              HelperSession session = new HelperSession(exec);
              try {
                session.fetch(List.of(), (path, size, in) -> {});
              } catch (IOException e) {
                closeQuietly(exec);
                throw new java.io.UncheckedIOException(e);
              } catch (RuntimeException e) {
                closeQuietly(exec);
                throw e;
              }
              if (abandoned.get()) {
                closeQuietly(exec);
              }
              return session;
            },
            r -> {
              Thread t = new Thread(r, "skinnywhale-helper-session");
              t.setDaemon(true);
              t.start();
            });
    try {
      return answered.get(HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      giveUp(abandoned, started, answered);
      throw new IOException("the helper's serve did not answer in " + HANDSHAKE.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable why =
          e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
      throw new IOException("the helper's serve did not answer: " + why.getMessage(), why);
    } catch (InterruptedException e) {
      giveUp(abandoned, started, answered);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("waiting for the helper's serve");
    }
  }

  /**
   * Closes what a given-up opening started: its exec now (a handshake still waiting then ends once
   * the helper is removed), or the session should it answer after all.
   */
  private static void giveUp(
      java.util.concurrent.atomic.AtomicBoolean abandoned,
      java.util.concurrent.atomic.AtomicReference<ExecSession> started,
      CompletableFuture<HelperSession> answered) {
    abandoned.set(true);
    ExecSession exec = started.get();
    if (exec != null) {
      closeQuietly(exec);
    }
    answered.thenAccept(HelperSession::close);
  }

  /**
   * One batch: the content of each of {@code paths} that is a regular file, to {@code sink}. A path
   * the helper could not read fails the batch with the session still in step; an answer cut short
   * or malformed, or a failure of the sink midway, leaves it {@link #broken}.
   */
  synchronized void fetch(List<String> paths, LazyContent.Sink sink) throws IOException {
    if (broken) {
      throw new IOException("the helper's serve broke off at an earlier batch");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    for (String p : paths) {
      if (p.isEmpty() || p.indexOf(0) >= 0) {
        // an empty path would end the request early, and put every later answer out of step
        throw new IllegalArgumentException("an empty path, or one with a NUL byte");
      }
      request.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
      request.write(0);
    }
    request.write(0);
    long stderrBefore = exec.output().stderrLength();
    sinkFailure = null;
    boolean inStep = false;
    try {
      exec.send(request.toByteArray());
      Answer answer = new Answer(exec.output());
      HelperTar.read(
          answer,
          paths,
          (path, size, in) -> {
            Watched content = new Watched(in);
            try {
              sink.accept(path, size, content);
            } catch (IOException e) {
              if (content.failure == null) {
                sinkFailure = e; // the sink's own, not the answer's read under it
              }
              throw e;
            }
          });
      answer.transferTo(java.io.OutputStream.nullOutputStream());
      inStep = true;
      if (answer.status != 0) {
        // best effort: the engine copies stderr apart from stdout, so it may come after the answer
        String said = exec.output().stderr();
        long since = exec.output().stderrLength() - stderrBefore;
        throw new IOException(
            "the helper's tar ended with exit code "
                + answer.status
                + ": "
                + said.substring((int) Math.max(0, said.length() - since)).strip());
      }
    } finally {
      if (!inStep) {
        broken = true;
      }
    }
  }

  /** Whether an answer was cut short or malformed (or the session closed): it takes no more. */
  boolean broken() {
    return broken;
  }

  /** Whether the batch that broke it failed in its sink (the helper's answer was not at fault). */
  boolean brokenBySink() {
    return broken && sinkFailure != null;
  }

  /** Ends the exec's input and stream; never waits for a batch in progress. */
  @Override
  public void close() {
    broken = true;
    closeQuietly(exec);
  }

  private static void closeQuietly(ExecSession exec) {
    try {
      exec.close();
    } catch (IOException | RuntimeException e) {
      // the helper's removal ends it too
    }
  }

  /** A file's content as the sink reads it, noting a failure of the answer's read under it. */
  private static final class Watched extends java.io.FilterInputStream {
    IOException failure;

    Watched(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
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
