package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace --seccomp-profile}: the Java and the nginx cases make a profile their slim images
 * run under; a command that makes a syscall the trace never saw is denied under it, verification
 * names that syscall and the profile is not written.
 */
class SeccompProfileIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JAVA_TAG = "skinnywhale-it14/seccomp-java:test";
  static final String JAVA_BUILT = "skinnywhale-it14/seccomp-java-built:test";
  static final String NGINX_TAG = "skinnywhale-it14/seccomp-nginx:test";
  static final String DENIED_TAG = "skinnywhale-it14/seccomp-denied:test";

  @TempDir Path dir;

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(JAVA_TAG, JAVA_BUILT, NGINX_TAG, DENIED_TAG)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  private static JsonNode profile(Path file) throws Exception {
    JsonNode p = JSON.readTree(Files.readString(file));
    assertEquals("SCMP_ACT_ERRNO", p.path("defaultAction").asText(), p.toString());
    assertEquals("SCMP_ACT_ALLOW", p.path("syscalls").get(0).path("action").asText());
    return p;
  }

  private static List<String> allowed(JsonNode profile) {
    List<String> names = new ArrayList<>();
    profile.path("syscalls").get(0).path("names").forEach(n -> names.add(n.asText()));
    return names;
  }

  @Test
  void trace_java_profileTheSlimImageRunsUnder_carriedForwardByBuild() throws Exception {
    String jre = JavaFixtures.bookwormJre();
    Path seccomp = dir.resolve("java-seccomp.json");
    Path saved = dir.resolve("java-profile.json");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            "java -version",
            "--seccomp-profile",
            seccomp.toString(),
            "--save-profile",
            saved.toString(),
            "--tag",
            JAVA_TAG,
            "--json",
            jre);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode result = JSON.readTree(r.out());
    assertEquals(seccomp.toString(), result.path("seccomp").path("written").asText(), r.out());
    JsonNode p = profile(seccomp);
    assertEquals("SCMP_ARCH_X86_64", p.path("architectures").get(0).asText());
    List<String> names = allowed(p);
    assertTrue(names.containsAll(List.of("execve", "mmap", "futex", "capset")), names.toString());
    assertFalse(names.contains("unshare"), names.toString());
    assertFalse(names.contains("clone3"), "clone3 is refused with ENOSYS, as in the source");
    System.out.printf("java -version: %d syscalls allowed%n", names.size());

    DockerCli.Result run =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            "--security-opt",
            "seccomp=" + seccomp,
            JAVA_TAG,
            "java",
            "-version");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("OpenJDK"), run.all());

    assertTrue(Files.readString(saved).contains("\"seccomp\": {"), "saved with the policy");
    Path carried = dir.resolve("carried.json");
    Skinnywhale.Result b =
        Skinnywhale.run(
            "build",
            "--keep",
            "traced",
            "--profile",
            saved.toString(),
            "--seccomp-profile",
            carried.toString(),
            "--tag",
            JAVA_BUILT,
            jre);
    assertEquals(0, b.exitCode(), b.err() + b.out());
    assertEquals(Files.readString(seccomp), Files.readString(carried));
  }

  @Test
  void trace_nginx_serviceRunsUnderTheProfile() throws Exception {
    TraceServiceIT.fixture(); // TraceServiceIT's nginx container, made once
    Path seccomp = dir.resolve("nginx-seccomp.json");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            TraceServiceIT.SMOKE,
            "--seccomp-profile",
            seccomp.toString(),
            "--tag",
            NGINX_TAG,
            "--json",
            TraceServiceIT.NGINX);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    List<String> names = allowed(profile(seccomp));
    assertTrue(names.containsAll(List.of("socket", "bind", "listen")), names.toString());
    System.out.printf("nginx smoke: %d syscalls allowed%n", names.size());
    DockerCli.Result run =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            "--security-opt",
            "seccomp=" + seccomp,
            "--entrypoint",
            "/bin/sh",
            NGINX_TAG,
            "-c",
            TraceServiceIT.SMOKE);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("Welcome to nginx"), run.all());
  }

  /**
   * The source has /etc/debian_version, so the command never makes a fifo there; the slim image
   * lacks it (--exclude), so there the command calls mkfifo: mknodat, which the trace never saw.
   * Without the profile that works; under it, it is refused.
   */
  @Test
  void trace_syscallNeverSeen_deniedAndNamed_profileNotWritten() throws Exception {
    String jre = JavaFixtures.bookwormJre();
    Path seccomp = dir.resolve("denied-seccomp.json");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            "test -e /etc/debian_version || mkfifo /tmp/fifo",
            "--exclude",
            "/etc/debian_version",
            "--include",
            "/usr/bin/mkfifo",
            "--seccomp-profile",
            seccomp.toString(),
            "--tag",
            DENIED_TAG,
            "--json",
            jre);
    assertEquals(8, r.exitCode(), r.err() + r.out());
    JsonNode v = JSON.readTree(r.out()).path("verification").get(0);
    assertFalse(v.path("passed").asBoolean(), v.toString());
    List<String> denied = new ArrayList<>();
    v.path("denied").forEach(d -> denied.add(d.asText()));
    assertTrue(denied.contains("mknodat"), denied.toString());
    assertTrue(r.err().contains("denied by the seccomp profile: mknodat"), r.err());
    assertFalse(Files.exists(seccomp), "not written when verification fails");
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("partial")));
    }
  }
}
