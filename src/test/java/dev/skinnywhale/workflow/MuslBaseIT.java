package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A musl system (as Alpine's): the loader is libc, the search path comes from
 * /etc/ld-musl-x86_64.path, and there is no ld.so.cache. An app image above a base image is slimmed
 * with --base: only the app, its closure found the musl way, and the path file's directory entries
 * on the way remain.
 */
class MuslBaseIT {
  static final String BASE = "skinnywhale-it/musl-base:test";
  static final String APP = "skinnywhale-it/musl-app:test";
  static final String SLIM = "skinnywhale-it/musl-slim:test";

  static final String GREET_C =
      """
      #include <stdio.h>
      void greet(const char *who) { printf("hello %s from musl\\n", who); }
      """;
  static final String HELLO_C =
      """
      void greet(const char *who);
      int main(int argc, char **argv) { greet(argc > 1 ? argv[1] : "world"); return 0; }
      """;

  @BeforeAll
  static void images(@TempDir Path dir) throws Exception {
    DockerCli.requireDocker();
    if (!Files.isExecutable(Path.of("/usr/bin/musl-gcc"))) {
      if ("true".equals(System.getenv("CI"))) {
        fail("musl-gcc (Debian's musl-tools) is needed in CI");
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "musl-gcc not installed");
    }
    Path base = Files.createDirectories(dir.resolve("base"));
    Files.createDirectories(base.resolve("lib"));
    Files.createDirectories(base.resolve("opt/lib"));
    Files.createDirectories(base.resolve("etc"));
    Files.createDirectories(base.resolve("usr/lib/junk"));
    Files.createDirectories(base.resolve("usr/bin"));
    Files.copy(Path.of("/lib/x86_64-linux-musl/libc.so"), base.resolve("lib/ld-musl-x86_64.so.1"));
    Files.writeString(base.resolve("etc/ld-musl-x86_64.path"), "/opt/lib\n/usr/lib\n");
    Files.writeString(dir.resolve("greet.c"), GREET_C);
    Files.writeString(dir.resolve("hello.c"), HELLO_C);
    exec(
        dir,
        "musl-gcc",
        "-shared",
        "-fPIC",
        "-o",
        base.resolve("opt/lib/libgreet.so").toString(),
        "greet.c");
    exec(
        dir,
        "musl-gcc",
        "-shared",
        "-fPIC",
        "-o",
        base.resolve("usr/lib/junk/libjunk.so").toString(),
        "greet.c");
    exec(dir, "bash", "-c", "tar -C '" + base + "' -c . | docker import - " + BASE + " >/dev/null");

    Path app = Files.createDirectories(dir.resolve("app/usr/bin"));
    exec(
        dir,
        "musl-gcc",
        "-o",
        app.resolve("hello").toString(),
        "hello.c",
        "-L" + base.resolve("opt/lib"),
        "-lgreet");
    AppFixtures.image(APP, BASE, java.util.Map.of(app.resolve("hello"), "/usr/bin/hello"));
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(SLIM, APP, BASE)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  @Test
  void slim_muslAppAboveBase_keepsMuslClosureOnly() throws Exception {
    Skinnywhale.Result r = Skinnywhale.run("--base", BASE, "--tag", SLIM, APP);
    assertEquals(0, r.exitCode(), r.err());
    List<String> files = DockerCli.files(SLIM);
    assertTrue(files.contains("/usr/bin/hello"), files.toString());
    assertTrue(files.contains("/opt/lib/libgreet.so"), files.toString());
    assertTrue(files.contains("/lib/ld-musl-x86_64.so.1"), files.toString());
    assertFalse(files.contains("/usr/lib/junk/libjunk.so"), files.toString());
    DockerCli.Result run =
        DockerCli.run("run", "--rm", "--network", "none", SLIM, "/usr/bin/hello", "slim");
    assertEquals(0, run.exitCode(), run.all());
    assertEquals("hello slim from musl", run.out().strip());
  }

  private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("failed: " + String.join(" ", cmd));
    }
  }
}
