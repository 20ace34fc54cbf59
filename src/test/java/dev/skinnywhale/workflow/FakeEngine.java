package dev.skinnywhale.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.docker.Change;
import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hand-written engine for workflow tests: one container made from one image, each with a
 * filesystem given as path → content (a trailing '/' makes a directory, "-> target" a symlink). It
 * records every call, so a test can check that the source was only read.
 */
public final class FakeEngine implements DockerEngine {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String CONTAINER_ID =
      "c0ffee0000000000000000000000000000000000000000000000000000000001";
  public static final String IMAGE_ID =
      "sha256:abad1dea00000000000000000000000000000000000000000000000000000002";

  /** The id {@link #commit} gives the probe image. */
  public static final String COMMITTED_ID =
      "sha256:c0331700000000000000000000000000000000000000000000000000000000003";

  public final Map<String, byte[]> containerFiles = new TreeMap<>();
  public final Map<String, byte[]> imageFiles = new TreeMap<>();
  public final List<Change> diff = new ArrayList<>();
  public final List<String> calls = new ArrayList<>();

  /** Container id → the spec it was created with. */
  public final Map<String, ContainerSpec> specs = new LinkedHashMap<>();

  public final Map<String, String> created = new LinkedHashMap<>();
  public final List<String> removed = new ArrayList<>();
  public final List<String> removedImages = new ArrayList<>();
  public final List<byte[]> loaded = new ArrayList<>();
  public final Map<String, ImageDetails> tags = new TreeMap<>();

  /** Image (id or tag) → exit code of every container made from it (default 0). */
  public final Map<String, Integer> exitCodes = new TreeMap<>();

  /**
   * Image (id or tag) → the tracer log a traced container of it leaves in the probe directory
   * (default: none, an empty log).
   */
  public final Map<String, String> traceLogs = new TreeMap<>();

  /** Image (id or tag) → what every container made from it prints (default: nothing). */
  public final Map<String, String> outputs = new TreeMap<>();

  /**
   * Image (id or tag) → the message of the {@link EngineException} that starting a container of it
   * throws (default: it starts).
   */
  public final Map<String, String> startFailures = new TreeMap<>();

  public ObjectNode containerConfig = JSON.createObjectNode();

  /** Whether the container is running (a stopped one ran its command to its end). */
  public boolean containerRunning = false;

  /** The config of the image {@link #IMAGE_ID} ({@code config} of its image config). */
  public ObjectNode imageConfig = JSON.createObjectNode();

  /** Containers made from these specs are still running at their time limit (services). */
  public java.util.function.Predicate<ContainerSpec> stillRunning = spec -> false;

  /** Every exec: container id and argv. */
  public final List<Map.Entry<String, List<String>>> execs = new ArrayList<>();

  /** The exit code of an exec's argv (default 0). */
  public java.util.function.Function<List<String>, Integer> execExit = argv -> 0;

  /** The volumes that exist. */
  public final java.util.Set<String> volumes = new java.util.TreeSet<>();

  /**
   * What happens while a call is in flight, by kind ("create", "commit", "wait"): a test makes a
   * call slow, or lands a signal in the middle of it (default: nothing).
   */
  public final Map<String, Runnable> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

  public FakeEngine() {
    containerConfig.putArray("Cmd").add("/usr/bin/app");
    containerConfig
        .putArray("Env")
        .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Override
  public synchronized void ping() {
    calls.add("ping");
  }

  @Override
  public synchronized Optional<ContainerDetails> findContainer(String ref) {
    calls.add("findContainer " + ref);
    if (!ref.equals("app") && !CONTAINER_ID.startsWith(ref)) {
      return Optional.empty();
    }
    return Optional.of(
        new ContainerDetails(
            CONTAINER_ID,
            "app",
            IMAGE_ID,
            containerRunning,
            "2026-01-02T03:04:05Z",
            1_000_000,
            containerConfig));
  }

  @Override
  public synchronized Optional<ImageDetails> findImage(String ref) {
    calls.add("findImage " + ref);
    if (tags.containsKey(ref)) {
      return Optional.of(tags.get(ref));
    }
    if (!ref.equals(IMAGE_ID) && !ref.equals("base:1")) {
      return Optional.empty();
    }
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("created", "2025-01-01T00:00:00Z");
    config.set("config", imageConfig.deepCopy());
    return Optional.of(new ImageDetails(IMAGE_ID, List.of("base:1"), 500_000, List.of(), config));
  }

  @Override
  public synchronized List<Change> diff(String containerId) {
    calls.add("diff " + containerId);
    return List.copyOf(diff);
  }

  @Override
  public InputStream export(String containerId) {
    onExport.run();
    return exportLocked(containerId);
  }

  private synchronized InputStream exportLocked(String containerId) {
    calls.add("export " + containerId);
    Map<String, byte[]> files = containerId.equals(CONTAINER_ID) ? containerFiles : null;
    if (files == null && created.containsKey(containerId)) {
      files = created.get(containerId).equals(COMMITTED_ID) ? containerFiles : imageFiles;
    }
    if (files == null) {
      throw new EngineException("exporting " + containerId + ": not found");
    }
    return new ByteArrayInputStream(tar(files));
  }

  /** A {@code docker save} archive of the image: one layer, its files as exported. */
  @Override
  public synchronized InputStream save(String imageId) {
    calls.add("save " + imageId);
    if (!imageId.equals(IMAGE_ID) && !imageId.equals(COMMITTED_ID)) {
      throw new EngineException("saving " + imageId + ": not found");
    }
    byte[] layer = tar(imageId.equals(COMMITTED_ID) ? containerFiles : imageFiles);
    String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[],\"Layers\":[\"l/layer.tar\"]}]";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    try {
      w.addFile("l/layer.tar", layer, Instant.EPOCH);
      w.addFile(
          "manifest.json",
          manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Instant.EPOCH);
      w.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(out.toByteArray());
  }

  /** What a create of a spec throws (default: nothing, the container is created). */
  public volatile java.util.function.Function<ContainerSpec, EngineException> createFailure =
      spec -> null;

  /** The paths the archive call answers 404 for (default: none). */
  public final java.util.Set<String> copyOutMissing = new java.util.TreeSet<>();

  @Override
  public synchronized String createContainer(ContainerSpec spec) {
    calls.add("create " + spec.image() + " network=" + spec.network());
    EngineException refused = createFailure.apply(spec);
    if (refused != null) {
      throw refused;
    }
    String id = String.format("%064x", created.size() + 100);
    inFlight.getOrDefault("create", () -> {}).run();
    created.put(id, spec.image());
    specs.put(id, spec);
    return id;
  }

  @Override
  public synchronized void start(String containerId) {
    calls.add("start " + containerId);
    String failure = startFailures.get(created.getOrDefault(containerId, ""));
    if (failure != null) {
      throw new EngineException(failure);
    }
  }

  /** How long a container of a spec runs before it exits (default: not at all), in ms. */
  public volatile java.util.function.ToLongFunction<ContainerSpec> runMillis = spec -> 0;

  /** A spec's own tracer log, over {@link #traceLogs} (default: none). */
  public volatile java.util.function.Function<ContainerSpec, Optional<String>> traceLogOf =
      spec -> Optional.empty();

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    inFlight.getOrDefault("wait", () -> {}).run();
    ContainerSpec spec;
    synchronized (this) {
      spec = specs.get(containerId);
    }
    long ms = runMillis.applyAsLong(spec);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (stillRunning.test(spec)) {
        return Optional.empty();
      }
      return Optional.of(exitCodes.getOrDefault(created.get(containerId), 0));
    }
  }

  @Override
  public synchronized dev.skinnywhale.docker.ExecResult exec(
      String containerId, List<String> argv, List<String> env, Duration timeout) {
    calls.add("exec " + containerId);
    execs.add(Map.entry(containerId, List.copyOf(argv)));
    return new dev.skinnywhale.docker.ExecResult(Optional.of(execExit.apply(argv)), "");
  }

  @Override
  public synchronized boolean volumeExists(String name) {
    calls.add("volumeExists " + name);
    return volumes.contains(name);
  }

  @Override
  public synchronized void kill(String containerId) {
    calls.add("kill " + containerId);
  }

  @Override
  public synchronized String logs(String containerId) {
    return outputs.getOrDefault(created.getOrDefault(containerId, ""), "");
  }

  @Override
  public synchronized void copyInto(String containerId, String directory, InputStream tar) {
    calls.add("copyInto " + containerId);
  }

  @Override
  public synchronized InputStream copyOut(String containerId, String path) {
    calls.add("copyOut " + containerId + " " + path);
    if (copyOutMissing.contains(path)) {
      throw new EngineException(
          EngineException.Kind.NOT_FOUND, 404, "copying " + path + ": not found", null);
    }
    String image = created.get(containerId);
    if (image == null) {
      throw new EngineException("copying from " + containerId + ": no such container");
    }
    // What the tracer leaves: its status and its log, below the probe directory's own name.
    String dir = "/" + path.substring(path.lastIndexOf('/') + 1);
    Map<String, byte[]> files = new TreeMap<>();
    files.put(dir + "/", new byte[0]);
    String status =
        stillRunning.test(specs.get(containerId))
            ? "timeout\n"
            : "ok exit=" + exitCodes.getOrDefault(image, 0) + "\n";
    files.put(dir + "/status", status.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    files.put(
        dir + "/trace.log",
        traceLogOf
            .apply(specs.get(containerId))
            .orElse(traceLogs.getOrDefault(image, ""))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return new ByteArrayInputStream(tar(files));
  }

  @Override
  public synchronized boolean networkExists(String name) {
    return name.equals("none") || name.equals("host");
  }

  /** What {@link #canStreamExec} answers (default: no, so a helper is never made). */
  public volatile boolean streamsExec = false;

  @Override
  public boolean canStreamExec() {
    return streamsExec;
  }

  /** Runs first in every commit, outside the engine's lock (default: nothing). */
  public volatile Runnable onCommit = () -> {};

  /** Runs first in every export, outside the engine's lock (default: nothing). */
  public volatile Runnable onExport = () -> {};

  @Override
  public String commit(String containerId, Map<String, String> labels) {
    onCommit.run();
    synchronized (this) {
      calls.add("commit " + containerId + " " + labels);
    }
    inFlight.getOrDefault("commit", () -> {}).run();
    return COMMITTED_ID;
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    calls.add("removeContainer " + containerId);
    removed.add(containerId);
  }

  @Override
  public synchronized void removeImage(String imageId) {
    calls.add("removeImage " + imageId);
    removedImages.add(imageId);
  }

  @Override
  public synchronized void load(InputStream archive) {
    calls.add("load");
    try {
      loaded.add(archive.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {}

  /** A tar of path → content: "x/" is a directory, content "-> t" a symlink to t. */
  public static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    NodeMeta meta =
        new NodeMeta(0755, 0, 0, "root", "root", Instant.ofEpochSecond(1_700_000_000L), Map.of());
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        String name = f.getKey().substring(1);
        String text = new String(f.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (name.endsWith("/")) {
          w.addDirectory(name, meta);
        } else if (text.startsWith("-> ")) {
          w.addSymlink(name, meta, text.substring(3));
        } else {
          w.addFile(name, meta, f.getValue().length, new ByteArrayInputStream(f.getValue()));
        }
      }
      w.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
