package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * glibc with a library in a directory that only /etc/ld.so.conf.d names: the loader finds it
 * through /etc/ld.so.cache alone, so the slim image needs the library and the cache. The app image
 * lies above a base image made with ldconfig; it is slimmed with --base.
 */
class GlibcBaseIT {
  static final String BASE = "skinnywhale-it/glibc-base:test";
  static final String APP = "skinnywhale-it/glibc-app:test";
  static final String SLIM = "skinnywhale-it/glibc-slim:test";

  @BeforeAll
  static void images(@TempDir Path dir) throws Exception {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    Files.writeString(
        dir.resolve("greet.c"),
        "#include <stdio.h>\nvoid greet(const char *w) { printf(\"hello %s from glibc\\n\", w); }\n");
    Files.writeString(
        dir.resolve("hello.c"),
        "void greet(const char *w);\n"
            + "int main(int c, char **v) { greet(c > 1 ? v[1] : \"world\"); return 0; }\n");
    Files.writeString(dir.resolve("greet.conf"), "/opt/greet/lib\n");
    exec(
        dir,
        "cc",
        "-shared",
        "-fPIC",
        "-Wl,-soname,libgreet.so.1",
        "-o",
        "libgreet.so.1",
        "greet.c");
    exec(dir, "cc", "-o", "hello", "hello.c", "-L.", "-l:libgreet.so.1");

    String id = DockerCli.ok("create", "local/debian:bookworm", "ldconfig").out().strip();
    try {
      DockerCli.ok(
          "cp", dir.resolve("greet.conf").toString(), id + ":/etc/ld.so.conf.d/greet.conf");
      DockerCli.ok("cp", dir.toString() + "/.", id + ":/tmp/");
      DockerCli.ok("start", "-a", id);
      DockerCli.ok("commit", id, BASE + "-stage");
    } finally {
      DockerCli.run("rm", "-f", id);
    }
    // The library goes to /opt/greet/lib in a second step (docker cp needs the directory).
    String id2 =
        DockerCli.ok(
                "create",
                BASE + "-stage",
                "sh",
                "-c",
                "mkdir -p /opt/greet/lib && mv /tmp/libgreet.so.1 /opt/greet/lib/ && ldconfig"
                    + " && rm -f /tmp/hello /tmp/*.c /tmp/greet.conf")
            .out()
            .strip();
    try {
      DockerCli.ok("start", "-a", id2);
      DockerCli.ok("commit", id2, BASE);
    } finally {
      DockerCli.run("rm", "-f", id2);
      DockerCli.run("rmi", "-f", BASE + "-stage");
    }
    AppFixtures.image(APP, BASE, Map.of(dir.resolve("hello"), "/usr/local/bin/hello"));
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(SLIM, APP, BASE)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  @Test
  void slim_libraryOnlyInLdSoCache_keepsLibraryAndCache() {
    Skinnywhale.Result r = Skinnywhale.run("--base", BASE, "--tag", SLIM, APP);
    assertEquals(0, r.exitCode(), r.err());
    List<String> files = DockerCli.files(SLIM);
    assertTrue(files.contains("/opt/greet/lib/libgreet.so.1"), files.toString());
    assertTrue(files.contains("/etc/ld.so.cache"), files.toString());
    assertFalse(files.contains("/usr/bin/apt"), "the base image's programs were kept");
    DockerCli.Result run =
        DockerCli.run("run", "--rm", "--network", "none", SLIM, "/usr/local/bin/hello", "slim");
    assertEquals(0, run.exitCode(), run.all());
    assertEquals("hello slim from glibc", run.out().strip());
  }

  private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("failed: " + String.join(" ", cmd));
    }
  }
}
