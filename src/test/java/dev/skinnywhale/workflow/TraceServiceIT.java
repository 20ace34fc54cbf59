package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service from Debian's packages: nginx makes directories below /var/lib/nginx, writes its pid to
 * /run and its logs below /var/log/nginx at start; none of that is read, so only the tracer's
 * mkdir/open-for-write records say those directories are needed.
 */
class TraceServiceIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NGINX = "skinnywhale-it-nginx-bookworm";
  static final String STARTS = "skinnywhale-it/nginx-starts:test";
  static final String STAYS_UP = "skinnywhale-it/nginx-up:test";
  static final String SMOKE =
      "nginx; sleep 1; curl -sf http://127.0.0.1/ | grep -o 'Welcome to nginx'";

  @BeforeAll
  static void fixture() {
    DockerCli.requireDocker();
    DockerCli.requireContainer(
        NGINX,
        "bookworm",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light"
            + " curl >/dev/null");
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(STARTS, STAYS_UP)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /**
   * The daemon outlives the shell: the run ends with the shell (the tracer kills what is left after
   * a short grace), with the shell's exit code, not at the time limit.
   */
  @Test
  void trace_daemonStartedByTheCommand_runEndsWithTheShell() throws Exception {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace", "--keep", "traced", "--run", SMOKE, "--tag", STARTS, "--json", NGINX);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode result = JSON.readTree(r.out());
    assertTrue(!result.path("probes").get(0).path("timedOut").asBoolean(), r.out());
    System.out.printf(
        "nginx --keep traced: fat %d, slim %d bytes%n",
        result.path("sizeBefore").asLong(), result.path("sizeAfter").asLong());
    DockerCli.Result run =
        DockerCli.run(
            "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", STARTS, "-c", SMOKE);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("Welcome to nginx"), run.all());
  }

  /** A service that stays up until stopped: killed at the limit, which is success here. */
  @Test
  void trace_serviceInForeground_expectTimeout() throws Exception {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            "nginx -g 'daemon off;'",
            "--timeout",
            "4",
            "--expect-timeout",
            "--tag",
            STAYS_UP,
            "--json",
            NGINX);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode probe = JSON.readTree(r.out()).path("probes").get(0);
    assertTrue(probe.path("timedOut").asBoolean(), probe.toString());
  }
}
