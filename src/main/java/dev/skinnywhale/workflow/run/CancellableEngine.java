package dev.skinnywhale.workflow.run;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.ExecResult;
import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.trace.Undo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine as a run sees it: every call checks the run's {@link Cancellation} first and throws
 * {@link CancelledException} once it is set. A create or a commit in flight when the token is set
 * still returns the new object's id here: it is registered with the run's undo list (so it is
 * removed with the rest) and the call then throws, since the caller will never see the id. Waits
 * that change nothing (a container's exit, its logs, an exec) are woken by the token; streams read
 * from the engine check it on every read. The undo calls themselves (kill, remove) are never
 * refused.
 */
public final class CancellableEngine implements DockerEngine {
  private final DockerEngine engine;
  private final Cancellation token;
  private final Undo undo;

  public CancellableEngine(DockerEngine engine, Cancellation token, Undo undo) {
    this.engine = engine;
    this.token = token;
    this.undo = undo;
  }

  @Override
  public void ping() {
    token.check();
    engine.ping();
  }

  @Override
  public Optional<ContainerDetails> findContainer(String ref) {
    token.check();
    return engine.findContainer(ref);
  }

  @Override
  public Optional<ImageDetails> findImage(String ref) {
    token.check();
    return engine.findImage(ref);
  }

  @Override
  public List<Change> diff(String containerId) {
    token.check();
    return engine.diff(containerId);
  }

  @Override
  public InputStream export(String containerId) {
    token.check();
    return new Checked(engine.export(containerId));
  }

  @Override
  public InputStream save(String imageId) {
    token.check();
    return new Checked(engine.save(imageId));
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    token.check();
    String id = engine.createContainer(spec);
    if (token.cancelled()) {
      undo.add("container " + shortId(id), () -> engine.removeContainer(id));
      throw new CancelledException();
    }
    return id;
  }

  @Override
  public void start(String containerId) {
    token.check();
    engine.start(containerId);
  }

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    return token.waiting(() -> engine.waitFor(containerId, timeout));
  }

  @Override
  public void kill(String containerId) {
    engine.kill(containerId);
  }

  @Override
  public ExecResult exec(
      String containerId, List<String> argv, List<String> env, Duration timeout) {
    return token.waiting(() -> engine.exec(containerId, argv, env, timeout));
  }

  @Override
  public dev.skinnywhale.docker.ExecStream execStream(String containerId, List<String> argv) {
    token
        .check(); // its reads are not checked: the next call is, and the helper's output is bounded
    return engine.execStream(containerId, argv);
  }

  @Override
  public dev.skinnywhale.docker.ExecSession execSession(String containerId, List<String> argv) {
    token.check(); // its batches are checked by their caller (HelperCalls.fetch)
    return engine.execSession(containerId, argv);
  }

  @Override
  public boolean canStreamExec() {
    return engine.canStreamExec();
  }

  @Override
  public boolean volumeExists(String name) {
    token.check();
    return engine.volumeExists(name);
  }

  @Override
  public String logs(String containerId) {
    return token.waiting(() -> engine.logs(containerId));
  }

  @Override
  public void copyInto(String containerId, String directory, InputStream tar) {
    token.check();
    engine.copyInto(containerId, directory, tar);
  }

  @Override
  public InputStream copyOut(String containerId, String path) {
    token.check();
    return new Checked(engine.copyOut(containerId, path));
  }

  @Override
  public boolean networkExists(String name) {
    token.check();
    return engine.networkExists(name);
  }

  @Override
  public String commit(String containerId, Map<String, String> labels) {
    token.check();
    String id = engine.commit(containerId, labels);
    if (token.cancelled()) {
      undo.add("temporary image " + id, () -> engine.removeImage(id));
      throw new CancelledException();
    }
    return id;
  }

  @Override
  public void removeContainer(String containerId) {
    engine.removeContainer(containerId);
  }

  @Override
  public void removeImage(String imageId) {
    engine.removeImage(imageId);
  }

  @Override
  public void load(InputStream archive) {
    token.check();
    engine.load(archive);
  }

  @Override
  public void close() {
    engine.close();
  }

  private static String shortId(String id) {
    return id.substring(0, Math.min(12, id.length()));
  }

  /** A stream from the engine that stops at the next read once the token is set. */
  private final class Checked extends FilterInputStream {
    Checked(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      token.check();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      token.check();
      return super.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
      token.check();
      return super.skip(n);
    }
  }
}
