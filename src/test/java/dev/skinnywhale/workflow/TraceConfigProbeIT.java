package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's own command as the probe, --change, and the probe's run options, on the real engine:
 * a server image traced without --run (its healthcheck tried in the probe container and in the slim
 * one), a seed-style container (made with {@code docker run ... apt-get install}) given the command
 * to run with --change, and a self-test that needs --add-host, --tmpfs and a read-only bind mount.
 * Fixture images and containers are made once ({@code skinnywhale-it10b/...}) and reused.
 */
class TraceConfigProbeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NGINX = "skinnywhale-it-nginx-bookworm";
  static final String SERVER = "skinnywhale-it10b/nginx:src";
  static final String SERVER_SLIM = "skinnywhale-it10b/nginx:slim";
  static final String JRE_BASE = "skinnywhale-it10b/jre:base";
  static final String SEED = "skinnywhale-it10b-seed";
  static final String JAR_SLIM = "skinnywhale-it10b/jar:slim";
  static final String SELFTEST = "skinnywhale-it10b/selftest:src";
  static final String SELFTEST_SLIM = "skinnywhale-it10b/selftest:slim";

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(SERVER_SLIM, JAR_SLIM, SELFTEST_SLIM)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /** nginx as an image says to run it: its CMD in the foreground, a curl healthcheck. */
  static void serverImage() {
    if (DockerCli.imageExists(SERVER)) {
      return;
    }
    DockerCli.requireContainer(
        NGINX,
        "bookworm",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light"
            + " curl >/dev/null");
    DockerCli.ok(
        "commit",
        "--change",
        "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
        "--change",
        "HEALTHCHECK --timeout=3s CMD curl -sf http://127.0.0.1/ >/dev/null || exit 1",
        NGINX,
        SERVER);
  }

  @Test
  void trace_noRun_serverImage_keepsWhatTheServerAndItsHealthcheckNeed_andVerifiesBoth()
      throws Exception {
    serverImage();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--config-timeout",
            "5",
            "--tag",
            SERVER_SLIM,
            "--json",
            SERVER);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode result = JSON.readTree(r.out());
    JsonNode probe = result.path("probes").get(0);
    assertEquals("config [\"nginx\",\"-g\",\"daemon off;\"]", probe.path("command").asText());
    assertTrue(probe.path("timedOut").asBoolean(), probe.toString());
    assertTrue(probe.path("health").path("healthy").asBoolean(), probe.toString());
    JsonNode verify = result.path("verification").get(0);
    assertTrue(verify.path("passed").asBoolean(), verify.toString());
    assertTrue(verify.path("slim").asText().contains("healthy"), verify.toString());
    System.out.printf(
        "nginx config probe --keep traced: fat %d, slim %d bytes, wall %d ms, phases %s%n",
        result.path("sizeBefore").asLong(),
        result.path("sizeAfter").asLong(),
        r.millis(),
        result.path("seconds"));

    List<String> files = DockerCli.files(SERVER_SLIM);
    // The healthcheck's program, and the page only a request (the healthcheck's) makes nginx read.
    for (String f :
        List.of(
            "/usr/bin/curl",
            "/etc/nginx/nginx.conf",
            "/var/www/html/index.nginx-debian.html",
            "/usr/sbin/nginx")) {
      assertTrue(files.contains(f), f + " not kept");
    }
    // Started plainly, the slim image serves.
    String id =
        DockerCli.ok(
                "run", "-d", "--network", "none", "--label", "skinnywhale-it10b=1", SERVER_SLIM)
            .out()
            .strip();
    try {
      DockerCli.Result get = null;
      for (int i = 0; i < 20; i++) {
        get = DockerCli.run("exec", id, "curl", "-sf", "-o", "/dev/null", "http://127.0.0.1/");
        if (get.exitCode() == 0) {
          break;
        }
        Thread.sleep(250);
      }
      assertEquals(0, get.exitCode(), get.all() + DockerCli.run("logs", id).all());
    } finally {
      DockerCli.run("rm", "-f", id);
    }
    // No probe container of these images is left (others' runs share the engine).
    for (String image : List.of(SERVER, SERVER_SLIM)) {
      String left =
          DockerCli.ok(
                  "ps",
                  "-aq",
                  "--filter",
                  "label=dev.skinnywhale.temporary",
                  "--filter",
                  "ancestor=" + image)
              .out()
              .strip();
      assertEquals("", left, "probe containers left of " + image);
    }
  }

  /**
   * A container made the seed's way: {@code docker run IMAGE sh -c 'apt-get install ...'}, then a
   * jar copied in. Its Cmd is the install; --change gives the slim image the jar's command, which
   * is also what the probe runs.
   */
  static String seedContainer(Path dir) throws Exception {
    DockerCli.Result state =
        DockerCli.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", SEED);
    if (state.exitCode() == 0
        && state.out().strip().equals("exited 0")
        && DockerCli.run("cp", SEED + ":/opt/app.jar", dir.resolve("probe.jar").toString())
                .exitCode()
            == 0) {
      return SEED;
    }
    DockerCli.run("rm", "-f", SEED);
    if (!DockerCli.imageExists(JRE_BASE)) {
      DockerCli.ok("commit", JavaFixtures.bookwormJre(), JRE_BASE);
    }
    // The JRE is in the base already: the install finds nothing to do and needs no network.
    DockerCli.ok(
        "run",
        "--network",
        "none",
        "--name",
        SEED,
        JRE_BASE,
        "sh",
        "-c",
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless"
            + " && mkdir -p /opt");
    Path jar = AppFixtures.appJar(dir, "seed");
    DockerCli.ok("cp", jar.toString(), SEED + ":/opt/app.jar");
    return SEED;
  }

  @Test
  void trace_changeCmd_onASeedContainer_slimImageRunsTheJarWhenStartedPlainly(@TempDir Path dir)
      throws Exception {
    String seed = seedContainer(dir);
    String cmdBefore = DockerCli.ok("inspect", "-f", "{{json .Config.Cmd}}", seed).out();
    assertTrue(cmdBefore.contains("apt-get install"), cmdBefore);
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--change",
            "CMD [\"java\",\"-jar\",\"/opt/app.jar\"]",
            "--tag",
            JAR_SLIM,
            "--json",
            seed);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode result = JSON.readTree(r.out());
    assertEquals(
        "config [\"java\",\"-jar\",\"/opt/app.jar\"]",
        result.path("probes").get(0).path("command").asText());
    assertFalse(r.err().contains("has stopped"), "warned although the command was changed");
    System.out.printf(
        "seed + --change CMD: fat %d, slim %d bytes, wall %d ms%n",
        result.path("sizeBefore").asLong(), result.path("sizeAfter").asLong(), r.millis());

    assertEquals(
        "[\"java\",\"-jar\",\"/opt/app.jar\"]",
        DockerCli.ok("inspect", "-f", "{{json .Config.Cmd}}", JAR_SLIM).out().strip());
    DockerCli.Result run = DockerCli.run("run", "--rm", "--network", "none", JAR_SLIM);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("selftest ok seed"), run.all());
    // The user's container is as it was.
    assertEquals(cmdBefore, DockerCli.ok("inspect", "-f", "{{json .Config.Cmd}}", seed).out());
  }

  /** bookworm with the image's own /fixtures/data.txt, which the probe's bind mount hides. */
  static void selftestImage(Path dir) throws Exception {
    if (DockerCli.imageExists(SELFTEST)) {
      return;
    }
    DockerCli.requireBaseImage("bookworm");
    Path own = Files.writeString(dir.resolve("data.txt"), "the image's own, not the fixture\n");
    String id = DockerCli.ok("create", "local/debian:bookworm", "true").out().strip();
    try {
      DockerCli.ok("cp", dir.toString() + "/.", id + ":/fixtures");
      DockerCli.ok("commit", id, SELFTEST);
    } finally {
      DockerCli.run("rm", "-f", id);
      Files.deleteIfExists(own);
    }
  }

  @Test
  void trace_addHostTmpfsAndReadOnlyBindMount_passAndNothingOfTheMountIsKept(@TempDir Path dir)
      throws Exception {
    Path image = Files.createDirectories(dir.resolve("image"));
    selftestImage(image);
    Path fixtures = Files.createDirectories(dir.resolve("fixtures"));
    Files.writeString(fixtures.resolve("data.txt"), "fixture-data\n");
    Files.writeString(fixtures.resolve("expected.txt"), "192.0.2.10\n");
    fixtures.toFile().setReadable(true, false);
    String selftest =
        "getent hosts db.test | grep -q 192.0.2.10"
            + " && grep -q fixture-data /fixtures/data.txt"
            + " && grep -qx 192.0.2.10 /fixtures/expected.txt"
            + " && ! touch /fixtures/written 2>/dev/null"
            + " && echo ok > /scratch/out && grep -q ok /scratch/out";
    Path profile = dir.resolve("selftest.json");
    Skinnywhale.Result r =
        Skinnywhale.run(
            Map.of(),
            "trace",
            "--keep",
            "traced",
            "--run",
            selftest,
            "--add-host",
            "db.test:192.0.2.10",
            "--tmpfs",
            "/scratch",
            "-v",
            fixtures + ":/fixtures",
            "--save-profile",
            profile.toString(),
            "--tag",
            SELFTEST_SLIM,
            "--json",
            SELFTEST);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(JSON.readTree(r.out()).path("verified").asBoolean(), r.out());

    List<String> files = DockerCli.files(SELFTEST_SLIM);
    assertTrue(files.contains("/usr/bin/getent"), files.toString());
    assertTrue(
        files.stream().noneMatch(f -> f.startsWith("/fixtures/")),
        "the mount (or what it hid) was kept: " + files);
    assertTrue(files.stream().noneMatch(f -> f.startsWith("/scratch/")), files.toString());
    JsonNode saved = JSON.readTree(profile.toFile());
    String options = saved.path("commands").get(0).path("options").toString();
    assertTrue(options.contains("db.test:192.0.2.10"), options);
    assertTrue(options.contains("type=bind,source=" + fixtures), options);
    assertTrue(options.contains("readonly"), options);
    assertTrue(
        saved.path("entries").toString().indexOf("\"/fixtures") < 0,
        "the mount counted as traced: " + saved.path("entries"));
    assertFalse(Files.exists(fixtures.resolve("written")), "the mount was writable");
  }
}
