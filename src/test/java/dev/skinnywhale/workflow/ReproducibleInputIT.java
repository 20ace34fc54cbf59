package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
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
    Path cache = tmp.resolve("cache");
    Skinnywhale.Result r = slim("one.tar", cache);
    String first = digest("one.tar");
    Thread.sleep(3000); // an export made now has other mtimes than one made 3 s ago
    // the image's own metadata now comes from the cache the first run filled, not its layers
    Skinnywhale.Result again = slim("two.tar", cache);
    assertTrue(!(r.out() + r.err()).contains("as read before"), r.err());
    assertTrue((again.out() + again.err()).contains("as read before"), again.err());
    assertEquals(first, digest("two.tar"));
    // and the lazy read of the helper gives the same bytes again
    slim("three.tar", cache, Map.of("SKINNYWHALE_FS_READ", "helper"));
    assertEquals(first, digest("three.tar"));
    assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
  }

  private Skinnywhale.Result slim(String name, Path cache) {
    return slim(name, cache, Map.of());
  }

  private Skinnywhale.Result slim(String name, Path cache, Map<String, String> env) {
    Path out = tmp.resolve(name);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("SKINNYWHALE_CACHE_DIR", cache.toString());
    Skinnywhale.Result r =
        Skinnywhale.run(
            all,
            "--debug",
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
    return r;
  }

  private String digest(String name) throws Exception {
    Path out = tmp.resolve(name);
    String digest =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
    System.out.println(name + " sha256:" + digest);
    return digest;
  }
}
