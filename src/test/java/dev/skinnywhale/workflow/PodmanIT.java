package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman as the engine, through its Docker-compatible API (a service of its own on a socket of this
 * test, started and stopped here): the Java trace case, probes under ptrace included. Needs
 * /etc/containers/containers.conf's default_ulimits (.ci/run sets them).
 */
class PodmanIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IMAGE = "localhost/skinnywhale-it13/jre:1";
  static final String SLIM = "skinnywhale-it13/podman-slim:1";

  @TempDir Path tmp;

  @BeforeAll
  static void tools() {
    DockerCli.requireDocker();
    Tools.require("podman");
  }

  @Test
  void trace_javaVersion_throughPodmansDockerApi() throws Exception {
    if (Tools.run(120, Map.of(), "podman", "image", "exists", IMAGE).exitCode() != 0) {
      Tools.ok(
          "bash", "-o", "pipefail", "-c", "docker save " + Tools.jreImage() + " | podman load");
    }
    Path sock = tmp.resolve("podman.sock");
    String host = "unix://" + sock;
    try (Tools.Service podman =
        new Tools.Service(
            tmp.resolve("podman.log"), "podman", "system", "service", "--time=0", host)) {
      podman.await(
          () ->
              Files.exists(sock)
                  && Tools.run(30, Map.of(), "docker", "-H", host, "version").exitCode() == 0,
          "podman system service");
      Skinnywhale.Result r =
          Skinnywhale.run(
              Map.of("DOCKER_HOST", host),
              "trace",
              "--keep",
              "traced",
              "--run",
              "java -version",
              "--tag",
              SLIM,
              "--json",
              IMAGE);
      assertEquals(0, r.exitCode(), r.err());
      JsonNode result = JSON.readTree(r.out());
      assertTrue(result.path("verified").asBoolean(), r.out());
      assertEquals("ptrace", result.path("probes").get(0).path("tracer").asText(), r.out());
      DockerCli.Result run =
          Tools.run(
              120,
              Map.of(),
              "podman",
              "run",
              "--rm",
              "--network",
              "none",
              "localhost/" + SLIM,
              "java",
              "-version");
      assertEquals(0, run.exitCode(), run.all());
      assertTrue(run.all().contains("openjdk version \"17"), run.all());
      String left =
          Tools.ok("podman", "ps", "-aq", "--filter", "label=dev.skinnywhale.temporary")
              .out()
              .strip();
      assertEquals("", left, "no temporary containers left in podman");
    } finally {
      Tools.run(120, Map.of(), "podman", "rmi", "-f", "localhost/" + SLIM);
    }
  }
}
