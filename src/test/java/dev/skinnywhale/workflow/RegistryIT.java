package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real registry on 127.0.0.1 (Debian's docker-registry, started and stopped here): a fat image
 * pushed there is traced from the registry and the slim image pushed back; the engine pulls and
 * runs it. The source, pulled by skinnywhale, is loaded into the engine for the probes and removed
 * afterwards.
 */
class RegistryIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void tools() {
    DockerCli.requireDocker();
    Tools.require("skopeo");
    Tools.require("docker-registry");
  }

  @Test
  void trace_fromRegistry_toRegistry_engineRunsThePulledResult() throws Exception {
    int port = Tools.freePort();
    String registry = "127.0.0.1:" + port;
    // A fat image the engine does not have: the JRE fixture with a label of this run.
    String fat = "skinnywhale-it13/jre-pushed:" + port;
    String container = DockerCli.ok("create", Tools.jreImage(), "true").out().strip();
    String pulled = registry + "/app:1-slim";
    try (Tools.Service reg = Tools.registry(tmp, port)) {
      DockerCli.ok("commit", "--change", "LABEL it13.port=" + port, container, fat);
      String fatId = DockerCli.ok("image", "inspect", "-f", "{{.Id}}", fat).out().strip();
      Tools.ok(
          "skopeo",
          "copy",
          "-q",
          "--dest-tls-verify=false",
          "docker-daemon:" + fat,
          "docker://" + registry + "/app:1");
      DockerCli.ok("rmi", fat);

      Skinnywhale.Result r =
          Skinnywhale.run(
              "trace",
              "--keep",
              "traced",
              "--run",
              "java -version",
              "--json",
              "--insecure-registry",
              registry,
              "docker://" + registry + "/app:1",
              "-o",
              "docker://" + pulled);
      assertEquals(0, r.exitCode(), r.err());
      JsonNode result = JSON.readTree(r.out());
      assertTrue(result.path("verified").asBoolean(), r.out());
      String digest = result.path("digest").asText();
      assertTrue(digest.startsWith("sha256:"), r.out());
      assertNotEquals(
          0, DockerCli.run("image", "inspect", fatId).exitCode(), "the loaded source was removed");
      // (no check of all labelled containers: other runs share this engine)

      JsonNode remote =
          JSON.readTree(
              Tools.ok("skopeo", "inspect", "--tls-verify=false", "docker://" + pulled).out());
      assertEquals(digest, remote.path("Digest").asText(), "the registry has the manifest we made");

      DockerCli.ok("pull", pulled);
      DockerCli.Result run =
          DockerCli.run("run", "--rm", "--network", "none", pulled, "java", "-version");
      assertEquals(0, run.exitCode(), run.all());
      assertTrue(run.all().contains("openjdk version \"17"), run.all());

      Skinnywhale.Result noFlag =
          Skinnywhale.run(
              Map.of(),
              "build",
              "--profile",
              "jvm",
              "docker://" + registry + "/app:1",
              "-o",
              tmp.resolve("x.tar").toString());
      assertEquals(10, noFlag.exitCode(), noFlag.err());
      assertTrue(noFlag.err().contains("--insecure-registry"), noFlag.err());
    } finally {
      DockerCli.run("rm", "-f", container);
      DockerCli.run("rmi", "-f", pulled, fat);
    }
  }
}
