package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slim image made through the helper's lazy read is byte for byte the one made through the
 * export: the same archive, so the same layer digest. On a JRE container (its committed probe image
 * read lazily) and on an image of 100,000 small files, slimmed with a heap of 256 MB.
 */
class LazyIsExportIT {
  static final String MANY = "skinnywhale-it12/many-files:" + DockerCli.RUN_ID;
  static final int FILES = 100_000;

  @TempDir Path tmp;

  @BeforeAll
  static void images() throws Exception {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    Path dir = Files.createTempDirectory("many-files-it");
    try {
      // 100 directories of 1,000 files, each holding its own number
      Files.writeString(
          dir.resolve("Dockerfile"),
          "FROM local/debian:bookworm\n"
              + "RUN mkdir /data && cd /data && for d in $(seq 1 100); do mkdir $d && cd $d &&"
              + " for f in $(seq 1 1000); do echo $d/$f > $f; done && cd ..; done\n"
              + "CMD [\"/bin/ls\", \"/data/100\"]\n");
      DockerCli.ok("build", "-q", "-t", MANY, dir.toString());
    } finally {
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterAll
  static void removeImages() {
    DockerCli.run("rmi", "-f", MANY);
  }

  @Test
  void jreContainer_lazyAndExport_sameArchive() throws Exception {
    String jre = JavaFixtures.bookwormJre();
    List<String> args = List.of("trace", "--keep", "traced", "--run", "java -version");
    assertEquals(
        slim("jre-export.tar", "export", args, jre), slim("jre-lazy.tar", "helper", args, jre));
  }

  @Test
  void hundredThousandFiles_lazyAndExport_sameArchive_in256m() throws Exception {
    List<String> args = List.of("--keep", "traced", "--include", "/data");
    String export = slim("many-export.tar", "export", args, MANY);
    String lazy = slim("many-lazy.tar", "helper", args, MANY);
    assertEquals(export, lazy);
    long size = Files.size(tmp.resolve("many-lazy.tar"));
    System.out.println("many-lazy.tar: " + size + " bytes");
  }

  /** The archive's sha256, made with the filesystem read the given way, under -Xmx256m. */
  private String slim(String name, String read, List<String> args, String input) throws Exception {
    Path out = tmp.resolve(name);
    List<String> all = new java.util.ArrayList<>(args);
    all.addAll(List.of("--debug", "-o", out.toString(), input));
    Skinnywhale.Result r =
        Skinnywhale.run(
            Map.of(
                "SKINNYWHALE_FS_READ",
                read,
                "SKINNYWHALE_JAVA_OPTS",
                "-Xmx256m",
                // the export reads the image's layers itself; the lazy read fills a cache of its
                // own
                "SKINNYWHALE_CACHE",
                read.equals("export") ? "off" : "on",
                "SKINNYWHALE_CACHE_DIR",
                tmp.resolve("cache-" + name).toString()),
            all.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    String how = read.equals("helper") ? "in a helper container" : "exporting the filesystem of";
    assertTrue((r.out() + r.err()).contains(how), "read " + read + ": " + how);
    String digest =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
    System.out.println(name + " sha256:" + digest);
    return digest;
  }
}
