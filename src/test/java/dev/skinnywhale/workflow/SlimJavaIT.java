package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation case on a real engine: a bookworm container with openjdk-17-jre-headless installed
 * is slimmed; the result runs {@code java -version} without a network, is at most half the size,
 * and keeps the container's config; the container and its image are unchanged and nothing temporary
 * is left.
 */
class SlimJavaIT {
  static final String CONTAINER = JavaFixtures.BOOKWORM_JRE;
  static final String TAG = "skinnywhale-it/jre-slim:test";
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void fixture() {
    JavaFixtures.bookwormJre();
  }

  @AfterAll
  static void removeResult() {
    DockerCli.run("rmi", "-f", TAG);
  }

  @Test
  void slim_javaContainer_runsJavaVersionAndKeepsConfig() throws Exception {
    JsonNode before = inspect(CONTAINER);
    String diffBefore = sortedLines(DockerCli.ok("diff", CONTAINER).out());
    String imageId = before.path("Image").asText();
    JsonNode imageBefore = JSON.readTree(DockerCli.ok("image", "inspect", imageId).out()).get(0);

    Skinnywhale.Result r = Skinnywhale.run("--tag", TAG, "--json", CONTAINER);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = JSON.readTree(r.out());
    long fat = result.path("sizeBefore").asLong();
    long slim = result.path("sizeAfter").asLong();
    System.out.printf(
        "java case: fat %d bytes, slim %d bytes, wall %d ms%n", fat, slim, r.millis());

    DockerCli.Result javaRun =
        DockerCli.run("run", "--rm", "--network", "none", TAG, "java", "-version");
    assertEquals(0, javaRun.exitCode(), javaRun.all());
    assertTrue(javaRun.all().contains("openjdk version \"17"), javaRun.all());

    long fatSize = before.path("SizeRootFs").asLong();
    long slimSize =
        JSON.readTree(DockerCli.ok("image", "inspect", TAG).out()).get(0).path("Size").asLong();
    assertTrue(slimSize * 2 <= fatSize, "slim " + slimSize + " is more than half of " + fatSize);
    assertEquals(slimSize, slim);

    JsonNode slimConfig =
        JSON.readTree(DockerCli.ok("image", "inspect", TAG).out()).get(0).path("Config");
    JsonNode sourceConfig = before.path("Config");
    for (String field : new String[] {"Entrypoint", "Cmd", "Env", "User", "WorkingDir", "Labels"}) {
      assertEquals(sourceConfig.path(field), slimConfig.path(field), field);
    }

    // The source is unchanged and nothing temporary is left.
    JsonNode after = inspect(CONTAINER);
    assertEquals(before.path("State"), after.path("State"));
    assertEquals(before.path("Config"), after.path("Config"));
    assertEquals(diffBefore, sortedLines(DockerCli.ok("diff", CONTAINER).out()));
    JsonNode imageAfter = JSON.readTree(DockerCli.ok("image", "inspect", imageId).out()).get(0);
    assertEquals(imageBefore.path("RepoTags"), imageAfter.path("RepoTags"));
    assertEquals(imageBefore.path("RootFS"), imageAfter.path("RootFS"));
    assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
  }

  @Test
  void slim_sameContainerTwiceToFiles_givesIdenticalArchives(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.tar");
    Path b = dir.resolve("b.tar");
    assertEquals(0, Skinnywhale.run("--tag", TAG, "-o", a.toString(), CONTAINER).exitCode());
    assertEquals(0, Skinnywhale.run("--tag", TAG, "-o", b.toString(), CONTAINER).exitCode());
    assertTrue(Files.size(a) > 0);
    assertEquals(-1L, Files.mismatch(a, b), "two slims of the same container differ");
  }

  /** docker diff lists in no fixed order. */
  private static String sortedLines(String text) {
    return String.join("\n", text.lines().sorted().toList());
  }

  private static JsonNode inspect(String ref) throws Exception {
    return JSON.readTree(DockerCli.ok("inspect", "--size", ref).out()).get(0);
  }
}
