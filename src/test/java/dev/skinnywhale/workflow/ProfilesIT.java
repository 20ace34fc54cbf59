package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Profiles on a real engine: trace once, build again without a probe; --profile auto. */
class ProfilesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JRE_BASE = "skinnywhale-it/jre-base:test";
  static final String APP_V1 = "skinnywhale-it/app:v1";
  static final String APP_V2 = "skinnywhale-it/app:v2";
  static final String APP_V1_SLIM = "skinnywhale-it/app-slim:v1";
  static final String APP_V2_SLIM = "skinnywhale-it/app-slim:v2";
  static final String PROBE_IMAGE = "skinnywhale-it/jre-probe:test";
  static final String AUTO_SLIM = "skinnywhale-it/jre-auto:test";
  static final String MULTI = "skinnywhale-it-multi-bookworm";
  static final String MULTI_SLIM = "skinnywhale-it/multi-auto:test";

  @BeforeAll
  static void images(@TempDir Path dir) throws Exception {
    String jre = JavaFixtures.bookwormJre();
    DockerCli.ok("commit", jre, JRE_BASE);
    AppFixtures.image(APP_V1, JRE_BASE, Map.of(AppFixtures.appJar(dir, "v1"), "/opt/app.jar"));
    AppFixtures.image(APP_V2, JRE_BASE, Map.of(AppFixtures.appJar(dir, "v2"), "/opt/app.jar"));
    Path probe =
        AppFixtures.compile(
            Files.createDirectories(dir.resolve("probe")), "Probe", AppFixtures.PROBE);
    AppFixtures.image(PROBE_IMAGE, JRE_BASE, Map.of(probe, "/opt/Probe.class"));
  }

  @AfterAll
  static void removeImages() {
    for (String tag :
        List.of(
            APP_V1_SLIM,
            APP_V2_SLIM,
            AUTO_SLIM,
            MULTI_SLIM,
            APP_V1,
            APP_V2,
            PROBE_IMAGE,
            JRE_BASE)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /**
   * The team's loop: trace v1 with its self-test and save a profile; build v2 from it, no probe.
   */
  @Test
  void build_profileSavedFromV1_v2RunsItsSelfTest(@TempDir Path dir) throws Exception {
    Path profile = dir.resolve("app-jre.json");
    String selftest = "java -jar /opt/app.jar selftest";
    Skinnywhale.Result trace =
        Skinnywhale.run(
            "trace",
            "--run",
            selftest,
            "--save-profile",
            profile.toString(),
            "--tag",
            APP_V1_SLIM,
            APP_V1);
    assertEquals(0, trace.exitCode(), trace.err());
    JsonNode saved = JSON.readTree(Files.readString(profile));
    assertEquals("app-jre", saved.path("name").asText());
    assertTrue(saved.path("entries").toString().contains("/opt/app.jar"), saved.toString());

    // A second trace of the unchanged image gives the same bytes.
    Path again = dir.resolve("again.json");
    assertEquals(
        0,
        Skinnywhale.run(
                "trace",
                "--run",
                selftest,
                "--save-profile",
                again.toString(),
                "--no-verify",
                "-o",
                dir.resolve("x.tar").toString(),
                APP_V1)
            .exitCode());
    assertEquals(
        Files.readString(profile).replace("\"app-jre\"", "\"again\""),
        Files.readString(again).replace("\"again\"", "\"again\""));

    Skinnywhale.Result build =
        Skinnywhale.run(
            "build", "--profile", profile.toString(), "--tag", APP_V2_SLIM, "--json", APP_V2);
    assertEquals(0, build.exitCode(), build.err());
    System.out.printf(
        "profile build: %d ms; the trace it replaces: %d ms%n", build.millis(), trace.millis());
    DockerCli.Result run =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            APP_V2_SLIM,
            "java",
            "-jar",
            "/opt/app.jar",
            "selftest");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("selftest ok v2"), run.all());
  }

  /** Only `java -version` is traced; the shipped profiles bring DNS, TLS, time zones and zip. */
  @Test
  void trace_profileAuto_javaVersionOnly_passesDnsTlsTzZip() throws Exception {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--profile",
            "auto",
            "--keep",
            "traced",
            "--run",
            "java -version",
            "--include",
            "/opt/Probe.class",
            "--tag",
            AUTO_SLIM,
            "--json",
            PROBE_IMAGE);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("--profile auto picked:"), r.err());
    for (String name : List.of("jvm", "glibc-nss", "ca-certificates", "tzdata")) {
      assertTrue(
          pickedLine(r.err()).contains(name),
          "auto did not pick " + name + ": " + pickedLine(r.err()));
    }
    DockerCli.Result run =
        DockerCli.run(
            "run", "--rm", "--network", "none", AUTO_SLIM, "java", "-cp", "/opt", "Probe");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("probe ok"), run.all());
  }

  /**
   * A runtime image with python3, locales, tzdata, ca-certificates and glibc's gconv: built from
   * --profile auto alone (nothing traced), each shipped profile must make its part work.
   */
  @Test
  void build_profileAuto_everyShippedProfileWorks() throws Exception {
    DockerCli.requireContainer(
        MULTI,
        "bookworm",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 locales"
            + " tzdata ca-certificates >/dev/null && sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/'"
            + " /etc/locale.gen && locale-gen >/dev/null");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "build",
            "--profile",
            "auto",
            "--keep",
            "traced",
            "--include",
            "/usr/bin/iconv",
            "--include",
            "/usr/bin/od",
            "--include",
            "/usr/bin/date",
            "--include",
            "/usr/bin/dash",
            "--include",
            "/bin/sh",
            "--tag",
            MULTI_SLIM,
            MULTI);
    assertEquals(0, r.exitCode(), r.err());
    for (String name :
        List.of("python3", "locales", "tzdata", "ca-certificates", "gconv", "glibc-nss")) {
      assertTrue(
          pickedLine(r.err()).contains(name),
          "auto did not pick " + name + ": " + pickedLine(r.err()));
    }
    String python =
        "import socket, ssl, json, decimal, zoneinfo, locale, datetime\n"
            + "assert socket.gethostbyaddr('127.0.0.1')[0] == 'localhost'\n"
            + "ctx = ssl.create_default_context()\n"
            + "ctx.load_verify_locations(cafile='/etc/ssl/certs/ca-certificates.crt')\n"
            + "assert len(ctx.get_ca_certs()) > 10, 'no CAs'\n"
            + "assert datetime.datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo('Europe/Paris')).utcoffset().seconds == 7200\n"
            + "locale.setlocale(locale.LC_ALL, 'en_US.UTF-8')\n"
            + "print('python ok', json.dumps(str(decimal.Decimal('1.5'))))\n";
    DockerCli.Result py =
        DockerCli.run("run", "--rm", "--network", "none", MULTI_SLIM, "python3", "-c", python);
    assertEquals(0, py.exitCode(), py.all());
    assertTrue(py.out().contains("python ok"), py.all());

    DockerCli.Result tz =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            "-e",
            "TZ=Europe/Paris",
            MULTI_SLIM,
            "date",
            "-d",
            "2024-07-01 12:00",
            "+%Z");
    assertEquals("CEST", tz.out().strip(), tz.all());

    DockerCli.Result iconv =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            MULTI_SLIM,
            "sh",
            "-c",
            "printf '\\342\\202\\254' | iconv -f UTF-8 -t ISO-8859-15 | od -An -tx1");
    assertEquals(0, iconv.exitCode(), iconv.all());
    assertEquals("a4", iconv.out().strip(), iconv.all());
  }

  /**
   * What --profile auto picked by markers, and the symbol needs (gconv, glibc-nss, locales), which
   * every build applies when a kept program imports their symbols.
   */
  private static String pickedLine(String err) {
    return err.lines()
        .filter(
            l -> l.contains("--profile auto picked:") || l.contains("kept for imported symbols:"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}
