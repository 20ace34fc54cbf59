package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image slimmed twice, seconds apart, gives the same archive bytes: the entries the engine adds
 * or touches in the temporary export container (/etc, /dev, the placeholder files, /proc, /sys, the
 * working directory) take the image's own metadata, not the export's time.
 */
class ReproducibleInputIT {
  static final String IMAGE = "skinnywhale-it/reproducible:" + DockerCli.RUN_ID;

  @TempDir Path tmp;

  @BeforeAll
  static void image() throws Exception {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    Path dir = Files.createTempDirectory("reproducible-it");
    try {
      Files.writeString(
          dir.resolve("Dockerfile"),
          "FROM local/debian:bookworm\nRUN echo hi > /etc/app.conf\n"
              + "CMD [\"/bin/cat\", \"/etc/app.conf\"]\n");
      DockerCli.ok("build", "-q", "-t", IMAGE, dir.toString());
      // A working directory the image lacks: the engine makes it in every container.
      String seed = DockerCli.ok("create", IMAGE).out().strip();
      try {
        DockerCli.ok("commit", "--change", "WORKDIR /srv/made-by-engine", seed, IMAGE);
      } finally {
        DockerCli.run("rm", "-f", seed);
      }
    } finally {
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterAll
  static void removeImage() {
    DockerCli.run("rmi", "-f", IMAGE); // and the build's image below it, untagged
  }

  @Test
  void slim_sameImageTwiceSecondsApart_sameArchiveBytes() throws Exception {
    String first = slim("one.tar");
    Thread.sleep(3000); // an export made now has other mtimes than one made 3 s ago
    String second = slim("two.tar");
    assertEquals(first, second);
    assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
  }

  private String slim(String name) throws Exception {
    Path out = tmp.resolve(name);
    Skinnywhale.Result r =
        Skinnywhale.run(
            "--keep",
            "traced",
            "--include",
            "/dev",
            "--include",
            "/proc",
            "--include",
            "/sys",
            "--include",
            "/etc/host*",
            "--include",
            "/srv",
            "-o",
            out.toString(),
            IMAGE);
    assertEquals(0, r.exitCode(), r.err());
    String digest =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
    System.out.println(name + " sha256:" + digest);
    return digest;
  }
}
