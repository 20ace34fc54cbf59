package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine itself needs from an image, which no trace sees: a USER given by name (looked up
 * in /etc/passwd when the container starts), a WORKDIR with its owner, an ENTRYPOINT program. And a
 * --run-file script that needs bash.
 */
class TraceConfigIT {
  static final String IMAGE = "skinnywhale-it/config:src";
  static final String SLIM = "skinnywhale-it/config:slim";
  static final String SCRIPTED = "skinnywhale-it/config:script";

  @BeforeAll
  static void image() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    String id =
        DockerCli.ok(
                "create",
                "local/debian:bookworm",
                "sh",
                "-c",
                "useradd -m app && mkdir /home/app/work && echo 'data for app' >"
                    + " /home/app/work/data.txt && chown -R app:app /home/app/work")
            .out()
            .strip();
    try {
      DockerCli.ok("start", "-a", id);
      DockerCli.ok(
          "commit",
          "--change",
          "USER app",
          "--change",
          "WORKDIR /home/app/work",
          "--change",
          "ENTRYPOINT [\"cat\"]",
          "--change",
          "CMD [\"data.txt\"]",
          id,
          IMAGE);
    } finally {
      DockerCli.run("rm", "-f", id);
    }
  }

  @AfterAll
  static void removeImages() {
    for (String tag : List.of(SLIM, SCRIPTED, IMAGE)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  @Test
  void trace_namedUserWorkdirEntrypoint_slimImageStartsAsTheSourceDid() {
    Skinnywhale.Result r = Skinnywhale.run("trace", "--run", "cat data.txt", "--tag", SLIM, IMAGE);
    assertEquals(0, r.exitCode(), r.err());
    // The image's own entrypoint and command, as the user it names, in its working directory.
    DockerCli.Result run = DockerCli.run("run", "--rm", "--network", "none", SLIM);
    assertEquals(0, run.exitCode(), run.all());
    assertEquals("data for app", run.out().strip());
    DockerCli.Result write =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            "--entrypoint",
            "/bin/sh",
            SLIM,
            "-c",
            "echo x > x && cat x && id -un 2>/dev/null || true");
    assertTrue(write.out().startsWith("x"), "the working directory lost its owner: " + write.all());
  }

  @Test
  void trace_runFileWithBashShebang_runsUnderBash(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("check.sh");
    Files.writeString(
        script, "#!/bin/bash\nset -e\nif [[ $(cat data.txt) == data* ]]; then echo bash-ok; fi\n");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace", "--run-file", script.toString(), "--tag", SCRIPTED, "--json", IMAGE);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("\"command\" : \"--run-file check.sh\""), r.out());
    List<String> files = DockerCli.files(SCRIPTED);
    assertTrue(files.contains("/usr/bin/bash") || files.contains("/bin/bash"), files.toString());
  }
}
