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
final class FakeEngine implements DockerEngine {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTAINER_ID =
      "c0ffee0000000000000000000000000000000000000000000000000000000001";
  static final String IMAGE_ID =
      "sha256:abad1dea00000000000000000000000000000000000000000000000000000002";

  final Map<String, byte[]> containerFiles = new TreeMap<>();
  final Map<String, byte[]> imageFiles = new TreeMap<>();
  final List<Change> diff = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  final Map<String, String> created = new LinkedHashMap<>();
  final List<String> removed = new ArrayList<>();
  final List<byte[]> loaded = new ArrayList<>();
  final Map<String, ImageDetails> tags = new TreeMap<>();
  ObjectNode containerConfig = JSON.createObjectNode();

  FakeEngine() {
    containerConfig.putArray("Cmd").add("/usr/bin/app");
    containerConfig
        .putArray("Env")
        .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Override
  public void ping() {
    calls.add("ping");
  }

  @Override
  public Optional<ContainerDetails> findContainer(String ref) {
    calls.add("findContainer " + ref);
    if (!ref.equals("app") && !CONTAINER_ID.startsWith(ref)) {
      return Optional.empty();
    }
    return Optional.of(
        new ContainerDetails(
            CONTAINER_ID,
            "app",
            IMAGE_ID,
            false,
            "2026-01-02T03:04:05Z",
            1_000_000,
            containerConfig));
  }

  @Override
  public Optional<ImageDetails> findImage(String ref) {
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
    config.putObject("config");
    return Optional.of(new ImageDetails(IMAGE_ID, List.of("base:1"), 500_000, List.of(), config));
  }

  @Override
  public List<Change> diff(String containerId) {
    calls.add("diff " + containerId);
    return List.copyOf(diff);
  }

  @Override
  public InputStream export(String containerId) {
    calls.add("export " + containerId);
    Map<String, byte[]> files = containerId.equals(CONTAINER_ID) ? containerFiles : null;
    if (files == null && created.containsKey(containerId)) {
      files = imageFiles;
    }
    if (files == null) {
      throw new EngineException("exporting " + containerId + ": not found");
    }
    return new ByteArrayInputStream(tar(files));
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    String id = String.format("%064x", created.size() + 100);
    created.put(id, spec.image());
    calls.add("create " + spec.image());
    return id;
  }

  @Override
  public void start(String containerId) {
    calls.add("start " + containerId);
  }

  @Override
  public Optional<Integer> waitFor(String containerId, Duration timeout) {
    return Optional.of(0);
  }

  @Override
  public void kill(String containerId) {
    calls.add("kill " + containerId);
  }

  @Override
  public String logs(String containerId) {
    return "";
  }

  @Override
  public void copyInto(String containerId, String directory, InputStream tar) {
    calls.add("copyInto " + containerId);
  }

  @Override
  public InputStream copyOut(String containerId, String path) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean networkExists(String name) {
    return name.equals("none") || name.equals("host");
  }

  @Override
  public String commit(String containerId, Map<String, String> labels) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeContainer(String containerId) {
    calls.add("removeContainer " + containerId);
    removed.add(containerId);
  }

  @Override
  public void removeImage(String imageId) {
    calls.add("removeImage " + imageId);
  }

  @Override
  public void load(InputStream archive) {
    calls.add("load");
    try {
      loaded.add(archive.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {}

  /** A tar of path → content: "x/" is a directory, content "-> t" a symlink to t. */
  static byte[] tar(Map<String, byte[]> files) {
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
