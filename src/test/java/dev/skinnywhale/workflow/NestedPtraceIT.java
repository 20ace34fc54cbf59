package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke command that itself uses ptrace ({@code strace}) cannot trace under the tracer: it is
 * traced again with LD_DEBUG, with a warning saying why, and the slim image is built and verified
 * instead of the command being blamed on the source.
 */
class NestedPtraceIT {
  static final String INSTALL =
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq"
          + " --no-install-recommends strace >/dev/null && rm -rf /var/lib/apt/lists/*";

  /** The fixture container, named by its recipe: a changed recipe makes a new one. */
  static final String CONTAINER = "skinnywhale-it-strace-" + contentTag(INSTALL);

  @TempDir Path tmp;

  @BeforeAll
  static void fixture() {
    DockerCli.requireDocker();
    DockerCli.requireContainer(CONTAINER, "bookworm", INSTALL);
  }

  @Test
  void trace_commandThatUsesPtrace_tracedAgainWithLdDebug_builtAndVerified() throws Exception {
    Path out = tmp.resolve("slim.tar");
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "strace -f -o /dev/null true",
            "--keep",
            "traced",
            "-o",
            out.toString(),
            CONTAINER);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("uses ptrace itself"), r.err());
    assertTrue(r.err().contains("It does not see data or configuration files"), r.err());
    assertFalse(r.err().contains("nothing was built"), r.err());
    assertTrue(r.out().contains("(ld-debug)"), r.out());
    assertTrue(r.out().contains("verify `strace -f -o /dev/null true`: exit code 0"), r.out());
    assertTrue(Files.size(out) > 0);
    assertEquals(List.of(), DockerCli.temporaryContainers());
    assertEquals(List.of(), DockerCli.temporaryImages());
  }

  static String contentTag(String recipe) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(recipe.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
