package dev.skinnywhale.trace;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.docker.ExecResult;
import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written engine for probe runs: each created container plays the next queued {@link Probe}
 * (its exit code and the files it leaves in the probe directory); every call is recorded.
 */
final class ScriptedEngine implements DockerEngine {
  /** What one probe container does: exits (or not, when empty) and leaves these files. */
  record Probe(Optional<Integer> exit, Map<String, String> files) {
    static Probe exits(int code, Map<String, String> files) {
      return new Probe(Optional.of(code), files);
    }
  }

  final Deque<Probe> probes = new ArrayDeque<>();
  final List<ContainerSpec> specs = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  final Map<String, Probe> running = new LinkedHashMap<>();

  /** What each exec (a healthcheck try) does, in order: its exit code, empty while running. */
  final Deque<Optional<Integer>> execs = new ArrayDeque<>();

  /** The argv of every exec, in order. */
  final List<List<String>> execArgv = new ArrayList<>();

  /** Called at every exec (a test's clock moves on). */
  Runnable onExec = () -> {};

  @Override
  public ExecResult exec(
      String containerId, List<String> argv, List<String> env, Duration timeout) {
    calls.add("exec " + n(containerId));
    execArgv.add(List.copyOf(argv));
    onExec.run();
    if (execs.isEmpty()) {
      throw new EngineException("container " + n(containerId) + " is not running");
    }
    return new ExecResult(execs.remove(), "health output " + execArgv.size());
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    String id = String.format("%064x", specs.size() + 1);
    specs.add(spec);
    running.put(id, probes.remove());
    calls.add("create " + n(id));
    return id;
  }

  @Override
  public void copyInto(String containerId, String directory, InputStream tar) {
    calls.add("copyInto " + n(containerId) + " " + directory);
  }

  @Override
  public void start(String containerId) {
    calls.add("start " + n(containerId));
  }

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    return running.get(containerId).exit();
  }

  @Override
  public void kill(String containerId) {
    calls.add("kill " + n(containerId));
  }

  @Override
  public String logs(String containerId) {
    return "output of " + n(containerId);
  }

  @Override
  public InputStream copyOut(String containerId, String path) {
    calls.add("copyOut " + n(containerId) + " " + path);
    return new ByteArrayInputStream(probeDir(running.get(containerId).files()));
  }

  @Override
  public void removeContainer(String containerId) {
    calls.add("remove " + n(containerId));
  }

  /** A container's number, for the call log: "1" for the first. */
  private static String n(String id) {
    return Long.toString(Long.parseLong(id.substring(48), 16));
  }

  /** A tar of the probe directory as the engine's archive endpoint sends it. */
  static byte[] probeDir(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    try {
      w.addDirectory(".skinnywhale-probe", NodeMeta.of(01777));
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] b = f.getValue().getBytes(StandardCharsets.ISO_8859_1);
        w.addFile(
            ".skinnywhale-probe/" + f.getKey(),
            NodeMeta.of(0644),
            b.length,
            new ByteArrayInputStream(b));
      }
      w.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void ping() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ContainerDetails> findContainer(String ref) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ImageDetails> findImage(String ref) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Change> diff(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public InputStream export(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean networkExists(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String commit(String containerId, Map<String, String> labels) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeImage(String imageId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void load(InputStream archive) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
