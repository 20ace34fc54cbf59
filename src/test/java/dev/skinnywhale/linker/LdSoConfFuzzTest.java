package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.rootfs.RootFs;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random loader configurations with a fixed seed: include globs of random depth over directories
 * holding symlinks to themselves, their parents and each other, include cycles, garbage lines. Each
 * must be read without an exception and within a per-configuration bound: a hostile {@code
 * ld.so.conf} of a few lines must not cost more than a real one.
 */
class LdSoConfFuzzTest {
  private static final long SEED = 0x1D_5000_2026L;
  private static final int ROUNDS = 200;
  private static final Duration PER_CONFIG = Duration.ofSeconds(2);
  private static final String[] DIRS = {
    "/etc/ld.so.conf.d", "/etc/ld.so.conf.d/a", "/etc/ld.so.conf.d/b", "/etc/ld.so.conf.d/a/c"
  };
  private static final String[] LINK_TARGETS = {".", "..", "../..", "/", "/etc", "a", "b", "../b"};
  private static final String[] GLOB_PARTS = {"*", "?", "[ab]", "[!a]*", "*.conf", "a", "..", "."};

  @Test
  void read_randomConfigurations_noExceptionBoundedTime() {
    Random random = new Random(SEED);
    int withDirs = 0;
    for (int round = 0; round < ROUNDS; round++) {
      RootFs fs = config(random);
      int r = round;
      try {
        LdSoConf conf =
            assertTimeoutPreemptively(
                PER_CONFIG,
                () -> LdSoConf.read(fs, LdSoConf.DEFAULT_PATH),
                () -> "round " + r + " (seed " + SEED + ") did not end in " + PER_CONFIG);
        if (!conf.directories().isEmpty()) {
          withDirs++;
        }
      } catch (RuntimeException e) {
        fail("round " + round + " (seed " + SEED + "): " + e, e);
      }
    }
    assertTrue(withDirs > 0, "no configuration named a directory");
  }

  private static RootFs config(Random random) {
    TestFs fs = new TestFs().dir("/etc");
    for (String d : DIRS) {
      fs.dir(d);
    }
    int links = random.nextInt(12);
    for (int i = 0; i < links; i++) {
      String dir = DIRS[random.nextInt(DIRS.length)];
      fs.link(dir + "/l" + i, LINK_TARGETS[random.nextInt(LINK_TARGETS.length)]);
    }
    fs.text(LdSoConf.DEFAULT_PATH, lines(random, 1 + random.nextInt(4)));
    int files = random.nextInt(30);
    for (int i = 0; i < files; i++) {
      String dir = DIRS[random.nextInt(DIRS.length)];
      fs.text(dir + "/f" + i + ".conf", lines(random, 1 + random.nextInt(5)));
    }
    return fs.build();
  }

  private static String lines(Random random, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> s.append("include ").append(glob(random)).append('\n');
        case 2 -> s.append("/opt/lib").append(random.nextInt(5)).append(":/usr/l,ib=x\n");
        case 3 -> s.append("hwcap 1 x # comment\n");
        default ->
            s.append(List.of("include", "", "#", "\0\u00ff[", "include [").get(random.nextInt(5)))
                .append('\n');
      }
    }
    return s.toString();
  }

  private static String glob(Random random) {
    StringBuilder g = new StringBuilder(random.nextBoolean() ? "/etc/ld.so.conf.d" : "");
    int depth = 1 + random.nextInt(7);
    for (int i = 0; i < depth; i++) {
      if (g.length() > 0) {
        g.append('/');
      }
      g.append(GLOB_PARTS[random.nextInt(GLOB_PARTS.length)]);
    }
    return g.toString();
  }
}
