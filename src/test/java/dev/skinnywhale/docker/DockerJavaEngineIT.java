package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.docker.EngineException.Kind;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the real engine: errors classified by status (an ambiguous id prefix
 * included, as Docker 20.10 answers it), archive in and out, wait with a time limit. Needs {@code
 * local/debian:bookworm}; skipped without Docker, unless CI=true, where that fails.
 */
class DockerJavaEngineIT {
  private static final String IMAGE = "local/debian:bookworm";
  private static final Map<String, String> LABELS = Map.of("skinnywhale-it", "engine");

  private DockerJavaEngine engine;
  private final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void requireDocker() {
    boolean ci =
        "true".equalsIgnoreCase(System.getenv("CI"))
            || Boolean.getBoolean("skinnywhale.requireDocker");
    try (DockerJavaEngine e = DockerJavaEngine.fromEnvironment(new ObjectMapper())) {
      e.ping();
      if (e.findImage(IMAGE).isEmpty()) {
        if (ci) {
          fail(IMAGE + " is missing (.ci/base-images builds it)");
        }
        Assumptions.abort(IMAGE + " is missing (.ci/base-images builds it)");
      }
    } catch (EngineUnavailableException e) {
      if (ci) {
        fail("CI=true but Docker is unavailable: " + e.getMessage());
      }
      Assumptions.abort("Docker is unavailable: " + e.getMessage());
    }
  }

  @BeforeEach
  void open() {
    engine = DockerJavaEngine.fromEnvironment(new ObjectMapper());
  }

  @AfterEach
  void removeAll() {
    for (String id : containers) {
      engine.removeContainer(id);
    }
    engine.close();
  }

  private String create(List<String> cmd) {
    ContainerSpec spec =
        new ContainerSpec(
            IMAGE,
            Optional.empty(),
            Optional.of(cmd),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            "none",
            LABELS);
    String id = engine.createContainer(spec);
    containers.add(id);
    return id;
  }

  /** Containers are made until two share a first hex digit (17 at most, by pigeonhole). */
  @Test
  void testFindContainer_ambiguousPrefixIsTyped() {
    Map<Character, Integer> firstDigits = new HashMap<>();
    char shared = 0;
    while (shared == 0) {
      String id = create(List.of("true"));
      if (firstDigits.merge(id.charAt(0), 1, Integer::sum) == 2) {
        shared = id.charAt(0);
      }
    }
    String prefix = String.valueOf(shared);
    EngineException e = assertThrows(EngineException.class, () -> engine.findContainer(prefix));
    assertEquals(Kind.AMBIGUOUS, e.kind(), e.getMessage());
    assertEquals(500, e.status().orElse(0), "Docker 20.10 answers 500: " + e.getMessage());
  }

  @Test
  void testNotFound_typedForTypedAndRawCalls() {
    String missing = "skinnywhale-no-such-container-" + ProcessHandle.current().pid();
    assertTrue(engine.findContainer(missing).isEmpty());
    assertEquals(
        Kind.NOT_FOUND, assertThrows(EngineException.class, () -> engine.start(missing)).kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(EngineException.class, () -> engine.copyOut(missing, "/")).kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(
                EngineException.class,
                () -> engine.copyInto(missing, "/", InputStream.nullInputStream()))
            .kind());
  }

  /** The engine never runs an image's own healthcheck in a container of ours. */
  @Test
  void testCreateContainer_healthcheckOff() {
    String id = create(List.of("true"));
    var config = engine.findContainer(id).orElseThrow().config();
    assertEquals(
        "[\"NONE\"]", config.path("Healthcheck").path("Test").toString(), config.toString());
  }

  @Test
  void testCopyIntoAndOut_roundTrip() throws Exception {
    String id = create(List.of("true"));
    byte[] content = "probe data\n".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(tar);
    w.addDirectory("skinnywhale-it", NodeMeta.of(0755));
    w.addFile(
        "skinnywhale-it/data.txt",
        NodeMeta.of(0644),
        content.length,
        new ByteArrayInputStream(content));
    w.finish();
    engine.copyInto(id, "/", new ByteArrayInputStream(tar.toByteArray()));

    try (TarStreamReader out = new TarStreamReader(engine.copyOut(id, "/skinnywhale-it"))) {
      Map<String, byte[]> files = new HashMap<>();
      for (Optional<TarEntry> e = out.next(); e.isPresent(); e = out.next()) {
        if (e.get().type() == TarEntry.Type.FILE) {
          files.put(e.get().path(), out.content().readAllBytes());
        }
      }
      assertArrayEquals(content, files.get("/skinnywhale-it/data.txt"), files.keySet().toString());
    }
  }

  @Test
  void testWaitFor_timeLimitThenKill() {
    String id = create(List.of("sleep", "60"));
    engine.start(id);
    assertEquals(Optional.empty(), engine.waitFor(id, Duration.ofMillis(500)));
    engine.kill(id);
    assertEquals(Optional.of(137), engine.waitFor(id, Duration.ofSeconds(30)));
    engine.kill(id); // stopped already: no error
  }
}
