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
 * {@code trace} on real Java containers: bookworm sizes and strategies, and bullseye's NSS case.
 */
class TraceJavaIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TRACED = "skinnywhale-it/jre-traced:test";
  static final String CHANGES = "skinnywhale-it/jre-changes:test";
  static final String DNS_STATIC = "skinnywhale-it/dns-static:test";
  static final String DNS_TRACED = "skinnywhale-it/dns-traced:test";
  static final String BROKEN = "skinnywhale-it/jre-broken:test";
  static final String LD_DEBUG = "skinnywhale-it/dns-lddebug:test";

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(TRACED, CHANGES, DNS_STATIC, DNS_TRACED, BROKEN, LD_DEBUG)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  @Test
  void trace_keepTraced_javaVersionUnder200MB() throws Exception {
    String container = JavaFixtures.bookwormJre();
    String stateBefore =
        DockerCli.ok("inspect", "-f", "{{json .State}} {{.Image}}", container).out();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            "java -version",
            "--tag",
            TRACED,
            "--json",
            container);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = JSON.readTree(r.out());
    assertTrue(result.path("verified").asBoolean(), r.out());
    long size = imageSize(TRACED);
    System.out.printf(
        "trace --keep traced: fat %d, slim %d bytes, wall %d ms, phases %s%n",
        result.path("sizeBefore").asLong(), size, r.millis(), result.path("seconds"));
    assertTrue(size <= 200L * 1000 * 1000, "slim image is " + size + " bytes");
    assertJavaRuns(TRACED);
    assertEquals(
        stateBefore, DockerCli.ok("inspect", "-f", "{{json .State}} {{.Image}}", container).out());
    assertEquals(List.of(), DockerCli.temporaryContainers());
    assertEquals(List.of(), DockerCli.temporaryImages());
  }

  @Test
  void trace_keepChanges_stillRunsJava() throws Exception {
    String container = JavaFixtures.bookwormJre();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "changes",
            "--run",
            "java -version",
            "--tag",
            CHANGES,
            "--json",
            container);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = JSON.readTree(r.out());
    assertEquals("changes", result.path("keep").asText());
    System.out.printf(
        "trace --keep changes: slim %d bytes, wall %d ms, phases %s%n",
        imageSize(CHANGES), r.millis(), result.path("seconds"));
    assertJavaRuns(CHANGES);
  }

  /**
   * The seed's DNS case: on bullseye the NSS "files" module is a separate library that glibc
   * dlopens, so no DT_NEEDED edge leads to it. The traced slim keeps it because the probe opened
   * it; the static slim keeps it because the JDK imports getaddrinfo, whose NSS profile names it
   * (imported symbols as runtime needs). Both answer the reverse lookup of 127.0.0.1.
   */
  @Test
  void trace_bullseyeNss_tracedAndStaticBySymbolsBothResolve() throws Exception {
    String container = JavaFixtures.bullseyeJreWithDnsApp();
    String dns = "java -cp /app Dns";

    Skinnywhale.Result plain = Skinnywhale.run("--tag", DNS_STATIC, container);
    assertEquals(0, plain.exitCode(), plain.err());
    DockerCli.Result staticRun =
        DockerCli.run("run", "--rm", "--network", "none", DNS_STATIC, "java", "-cp", "/app", "Dns");
    assertEquals(0, staticRun.exitCode(), staticRun.all());
    assertTrue(staticRun.out().contains("127.0.0.1=localhost"), staticRun.all());
    assertTrue(
        plain
            .err()
            .lines()
            .anyMatch(
                l -> l.startsWith("kept for imported symbols:") && l.contains(" glibc-nss (")),
        "the NSS module was not kept for the imported symbol: " + plain.err());

    Skinnywhale.Result traced =
        Skinnywhale.run(
            "trace", "--keep", "traced", "--run", dns, "--tag", DNS_TRACED, "--json", container);
    assertEquals(0, traced.exitCode(), traced.err());
    DockerCli.Result tracedRun =
        DockerCli.run("run", "--rm", "--network", "none", DNS_TRACED, "java", "-cp", "/app", "Dns");
    assertEquals(0, tracedRun.exitCode(), tracedRun.all());
    assertTrue(tracedRun.out().contains("127.0.0.1=localhost"), tracedRun.all());
    String kept = String.join("\n", DockerCli.files(DNS_TRACED));
    assertTrue(kept.contains("/libnss_files"), kept);
    assertTrue(kept.contains("/etc/nsswitch.conf"), kept);
  }

  /**
   * The fallback where ptrace is refused: LD_DEBUG sees the libraries the C library dlopens (here
   * bullseye's libnss_files.so.2), though no data files.
   */
  @Test
  void trace_ldDebug_catchesDlopenedNssModule() throws Exception {
    String container = JavaFixtures.bullseyeJreWithDnsApp();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--ld-debug",
            "--keep",
            "changes",
            "--run",
            "java -cp /app Dns",
            "--tag",
            LD_DEBUG,
            "--json",
            container);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("ld_debug", JSON.readTree(r.out()).path("probes").get(0).path("tracer").asText());
    assertTrue(String.join("\n", DockerCli.files(LD_DEBUG)).contains("/libnss_files"));
    DockerCli.Result run =
        DockerCli.run("run", "--rm", "--network", "none", LD_DEBUG, "java", "-cp", "/app", "Dns");
    assertEquals(0, run.exitCode(), run.all());
  }

  /**
   * Excluding a library the JVM dlopens breaks the image; verification says which file is missing.
   */
  @Test
  void trace_excludedTracedLibrary_verificationNamesIt() throws Exception {
    String container = JavaFixtures.bookwormJre();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--keep",
            "traced",
            "--run",
            "java -version",
            "--exclude",
            "/usr/lib/jvm/*/lib/server/libjvm.so",
            "--tag",
            BROKEN,
            "--json",
            container);
    assertEquals(8, r.exitCode(), r.err());
    JsonNode result = JSON.readTree(r.out());
    assertTrue(!result.path("verified").asBoolean(), r.out());
    String missing = result.path("verification").get(0).path("missing").toString();
    assertTrue(missing.contains("lib/server/libjvm.so"), missing);
    assertEquals(List.of(), DockerCli.temporaryContainers());
  }

  static void assertJavaRuns(String tag) {
    DockerCli.Result run =
        DockerCli.run("run", "--rm", "--network", "none", tag, "java", "-version");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("openjdk version \"17"), run.all());
  }

  static long imageSize(String tag) throws Exception {
    return JSON.readTree(DockerCli.ok("image", "inspect", tag).out()).get(0).path("Size").asLong();
  }
}
