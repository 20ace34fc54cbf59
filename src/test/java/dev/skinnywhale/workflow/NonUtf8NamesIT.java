package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's files whose names are not UTF-8 ({@code docker diff} reports U+FFFD for their bad
 * bytes) or hold a newline or a control character are all kept by {@code --keep changes}.
 */
class NonUtf8NamesIT {
  static final String CONTAINER = "skinnywhale-it-names-" + DockerCli.RUN_ID;

  /** The byte names (one char per byte) the container makes. */
  static final Set<String> NAMES =
      Set.of(
          "/data/bad\u00ffname",
          "/data/lat\u00e9\u00e9x",
          "/data/nl\nname",
          "/data/plain",
          "/d\u00ffir",
          "/d\u00ffir/f\u0001g");

  @TempDir Path tmp;

  @BeforeAll
  static void container() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    DockerCli.ok(
        "run",
        "--network",
        "none",
        "--name",
        CONTAINER,
        "local/debian:bookworm",
        "sh",
        "-c",
        "mkdir /data \"$(printf '/d\\377ir')\"; echo a > \"$(printf '/data/bad\\377name')\";"
            + " echo b > \"$(printf '/data/nl\\nname')\"; echo c > \"$(printf '/data/lat\\351\\351x')\";"
            + " echo d > \"$(printf '/d\\377ir/f\\001g')\"; echo e > /data/plain");
  }

  @AfterAll
  static void remove() {
    DockerCli.run("rm", "-f", CONTAINER);
  }

  @Test
  void slim_keepChanges_namesThatAreNotUtf8_allKept() throws Exception {
    Path out = tmp.resolve("slim.tar");
    Skinnywhale.Result r = Skinnywhale.run("--keep", "changes", "-o", out.toString(), CONTAINER);
    assertEquals(0, r.exitCode(), r.err());
    assertFalse(r.err().contains("not kept"), r.err());
    Set<String> kept = layerPaths(out);
    for (String name : NAMES) {
      assertTrue(
          kept.contains(name), "missing " + name.replace("\n", "\\n") + " in the slim layer");
    }
  }

  /** Every path of the archive's layers (byte names, one char per byte). */
  static Set<String> layerPaths(Path archive) throws Exception {
    Map<String, byte[]> members = new HashMap<>();
    try (TarStreamReader tar = new TarStreamReader(Files.newInputStream(archive))) {
      for (Optional<TarEntry> e = tar.next(); e.isPresent(); e = tar.next()) {
        if (e.get().type() == TarEntry.Type.FILE) {
          members.put(e.get().path().substring(1), tar.content().readAllBytes());
        }
      }
    }
    Set<String> out = new TreeSet<>();
    for (var layer :
        new ObjectMapper().readTree(members.get("manifest.json")).get(0).get("Layers")) {
      byte[] bytes = members.get(layer.asText());
      InputStream in = new ByteArrayInputStream(bytes);
      if (bytes.length > 1 && bytes[0] == 0x1f && (bytes[1] & 0xff) == 0x8b) {
        in = new GZIPInputStream(in);
      }
      try (TarStreamReader tar = new TarStreamReader(in)) {
        for (Optional<TarEntry> e = tar.next(); e.isPresent(); e = tar.next()) {
          out.add(e.get().path());
        }
      }
    }
    return out;
  }
}
