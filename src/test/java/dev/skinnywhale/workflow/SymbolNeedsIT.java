package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported symbols on a real engine: a program that calls iconv_open gets the whole gconv directory
 * (EUC-JP, Shift_JIS and EBCDIC conversions work in the slim image, not only the one the probe
 * ran), and a static binary beside the base image's glibc gets none of the glibc profiles from
 * {@code --profile auto}.
 */
class SymbolNeedsIT {
  static final String ICONV_SLIM = "skinnywhale-it10a/iconv:slim";
  static final String STATIC = "skinnywhale-it10a-static";
  static final String STATIC_SLIM = "skinnywhale-it10a/static:slim";

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
  }

  @AfterAll
  static void cleanUp() {
    for (String tag : List.of(ICONV_SLIM, STATIC_SLIM)) {
      DockerCli.run("rmi", "-f", tag);
    }
    DockerCli.run("rm", "-f", STATIC);
  }

  @Test
  void trace_iconvToUtf16_slimConvertsToEveryCharset() {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "printf abc | iconv -f UTF-8 -t UTF-16 >/dev/null",
            "--keep",
            "traced",
            "--tag",
            ICONV_SLIM,
            "local/debian:bookworm");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("kept for imported symbols: gconv (iconv_open in "), r.err());
    for (String charset : List.of("EUC-JP", "SHIFT_JIS", "EBCDIC-US", "IBM1047", "ISO-8859-15")) {
      DockerCli.Result c =
          DockerCli.run(
              "run",
              "--rm",
              "--network",
              "none",
              ICONV_SLIM,
              "sh",
              "-c",
              "printf 'h\\303\\251\\346\\227\\245' | iconv -f UTF-8 -t "
                  + charset
                  + "//TRANSLIT >/dev/null");
      assertEquals(0, c.exitCode(), charset + ": " + c.all());
    }
  }

  @Test
  void build_staticBinaryBesideGlibc_autoPicksNoGlibcProfile(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("hello.c"),
        "#include <stdio.h>\nint main(void) { puts(\"static hello\"); return 0; }\n");
    Process cc =
        new ProcessBuilder(
                "cc",
                "-static",
                "-O2",
                "-o",
                dir.resolve("hello").toString(),
                dir.resolve("hello.c").toString())
            .inheritIO()
            .start();
    assertTrue(cc.waitFor(2, TimeUnit.MINUTES) && cc.exitValue() == 0, "cc -static failed");
    DockerCli.run("rm", "-f", STATIC);
    // An image whose program is the static binary: a container created to run it, never started.
    DockerCli.ok(
        "create", "--network", "none", "--name", STATIC, "local/debian:bookworm", "/hello");
    DockerCli.ok("cp", dir.resolve("hello").toString(), STATIC + ":/hello");

    Skinnywhale.Result r =
        Skinnywhale.run("build", "--profile", "auto", "--tag", STATIC_SLIM, STATIC);
    assertEquals(0, r.exitCode(), r.err());
    String said = r.out() + r.err();
    assertTrue(said.contains("--profile auto picked: tzdata"), said);
    assertFalse(said.contains("kept for imported symbols"), said);
    assertFalse(said.contains("gconv") || said.contains("glibc-nss"), said);
    DockerCli.Result run = DockerCli.run("run", "--rm", "--network", "none", STATIC_SLIM, "/hello");
    assertEquals("static hello\n", run.out(), run.all());
    assertFalse(
        DockerCli.files(STATIC_SLIM).stream().anyMatch(p -> p.contains("/gconv/")),
        "gconv kept for a static binary");
  }
}
