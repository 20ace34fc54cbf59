package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace} with nothing but the smoke command a user types first, on real Debian images; the
 * slim image (--keep packages, the default) must then do the real work: convert to PNG and JPEG,
 * Python's C extensions and data, Perl's XS modules, git's templates, identity and submodules. The
 * user's own app survives --keep traced; the slim image's dpkg database is what it holds.
 */
class PackagesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PREFIX = "skinnywhale-it9/slim-";

  @TempDir static Path dir;

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
  }

  @AfterAll
  static void removeImages() {
    for (PackageFixtures.Case c : PackageFixtures.CASES) {
      for (String keep : List.of("packages", "traced")) {
        DockerCli.run("rmi", "-f", tag(c, keep));
      }
    }
    DockerCli.run("rmi", "-f", PackageFixtures.APP_IMAGE);
  }

  static String tag(PackageFixtures.Case c, String keep) {
    return PREFIX + c.name() + "-" + keep + ":test";
  }

  /** Traces {@code c} with its smoke command and returns the --json result. */
  static JsonNode trace(PackageFixtures.Case c, String... extra) throws Exception {
    String source = PackageFixtures.source(c, dir);
    List<String> args = new java.util.ArrayList<>(List.of("trace", "--run", c.smoke(), "--json"));
    args.addAll(List.of(extra));
    args.add(source);
    Skinnywhale.Result r = Skinnywhale.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = JSON.readTree(r.out());
    assertTrue(result.path("verified").asBoolean(), r.out());
    System.out.printf(
        "%s %s: fat %d, slim %d bytes; kept %s%n",
        c.name(),
        result.path("keep").asText(),
        result.path("sizeBefore").asLong(),
        result.path("sizeAfter").asLong(),
        result.path("kept"));
    return result;
  }

  static void assertWorks(PackageFixtures.Case c, String image) {
    DockerCli.Result run = PackageFixtures.work(c, image);
    assertTrue(PackageFixtures.worked(c, run), c.name() + " in " + image + ": " + run.all());
  }

  @Test
  void trace_imagemagick_convertVersionOnly_slimConvertsToPngAndJpeg() throws Exception {
    PackageFixtures.Case c = PackageFixtures.IMAGEMAGICK;
    JsonNode result = trace(c, "--tag", tag(c, "packages"));
    assertEquals("packages", result.path("keep").asText());
    assertWorks(c, tag(c, "packages"));
    PackageFixtures.assertConsistent(tag(c, "packages"), "/usr/bin/convert-im6.q16");
  }

  @Test
  void trace_python_importJsonOnly_yamlCSafeLoaderSqliteSslZoneinfoWork() throws Exception {
    PackageFixtures.Case c = PackageFixtures.PYTHON;
    trace(c, "--tag", tag(c, "packages"));
    assertWorks(c, tag(c, "packages"));
  }

  @Test
  void trace_perl_printOnly_xsModulesLoad() throws Exception {
    PackageFixtures.Case c = PackageFixtures.PERL;
    trace(c, "--tag", tag(c, "packages"));
    assertWorks(c, tag(c, "packages"));
  }

  @Test
  void trace_git_versionOnly_initWithTemplatesCommitAsRootAndSubmodule() throws Exception {
    PackageFixtures.Case c = PackageFixtures.GIT;
    JsonNode result = trace(c, "--tag", tag(c, "packages"));
    assertWorks(c, tag(c, "packages"));
    int inDb = 0;
    for (JsonNode p : result.path("packages")) {
      if (!p.path("kept").asText().equals("dropped")) {
        inDb++;
      }
    }
    DockerCli.Result check = PackageFixtures.assertConsistent(tag(c, "packages"), "/usr/bin/git");
    assertTrue(
        check.out().contains("packages: " + inDb + "\n"),
        "the report's kept packages are the database's: " + inDb + "\n" + check.out());
  }

  /**
   * The user's app under /opt, with a CMD: --keep traced of `java -version` keeps the jar and its
   * data though nothing opened them; --keep packages keeps the rest of the JRE too, and the CMD
   * runs.
   */
  @Test
  void trace_usersAppUnderOpt_keptWithKeepTraced_cmdRunsWithPackages() throws Exception {
    PackageFixtures.Case c = PackageFixtures.APP;
    trace(c, "--keep", "traced", "--tag", tag(c, "traced"));
    List<String> files = DockerCli.files(tag(c, "traced"));
    assertTrue(files.contains("/opt/app/app.jar"), files.toString());
    assertTrue(files.contains("/opt/app/greeting.txt"), files.toString());
    trace(c, "--tag", tag(c, "packages"));
    assertWorks(c, tag(c, "packages"));
  }
}
