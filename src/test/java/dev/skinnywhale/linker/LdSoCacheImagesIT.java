package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our ld.so.cache parser against the images' own {@code ldconfig -p}: bookworm (glibc 2.36) and
 * bullseye (glibc 2.31); both images ship the new format (the old and compat layouts are covered by
 * the generated fixtures of {@link LdSoCacheTest}). Uses the docker CLI. With CI=true a missing
 * engine or image fails the test instead of skipping it.
 */
class LdSoCacheImagesIT {
  private static final boolean CI = "true".equals(System.getenv("CI"));

  @ParameterizedTest
  @ValueSource(strings = {"local/debian:bookworm", "local/debian:bullseye"})
  void parse_imageCache_matchesImageLdconfig(String image) throws Exception {
    require(
        run(List.of("docker", "version", "--format", "{{.Server.Version}}")).exit == 0,
        "docker engine unavailable");
    require(run(List.of("docker", "image", "inspect", image)).exit == 0, "image missing: " + image);

    Result ldconfig =
        run(List.of("docker", "run", "--rm", "--network", "none", image, "ldconfig", "-p"));
    assertEquals(0, ldconfig.exit, () -> "ldconfig -p failed: " + ldconfig.text());
    Result cat =
        run(
            List.of(
                "docker", "run", "--rm", "--network", "none", image, "cat", "/etc/ld.so.cache"));
    assertEquals(0, cat.exit, "cat /etc/ld.so.cache failed");

    LdSoCache cache = LdSoCache.parse(ByteBuffer.wrap(cat.stdout));
    Set<String> expected = LdSoCacheHostTest.LdconfigOutput.pairs(ldconfig.text(), "x86-64");
    Set<String> actual = LdSoCacheHostTest.LdconfigOutput.pairs(cache, 0x303);
    System.out.printf(
        "LdSoCacheImagesIT %s: format %s, %d entries, %d x86-64 pairs%n",
        image, cache.format(), cache.entries().size(), actual.size());
    assertTrue(expected.size() > 10, "too few entries from ldconfig -p: " + expected.size());
    assertEquals(expected, actual);
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      if (CI) {
        fail(what + " (CI=true: Docker tests must run)");
      }
      assumeTrue(false, what);
    }
  }

  private record Result(int exit, byte[] stdout) {
    String text() {
      return new String(stdout, StandardCharsets.ISO_8859_1);
    }
  }

  private static Result run(List<String> command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, new byte[0]);
    }
  }
}
