package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile loader configurations cost no more than real ones, and each limit reached is said. */
class LdSoConfBudgetTest {
  private static final Duration FAST = Duration.ofSeconds(10);

  @Test
  void read_globThroughDirectorySymlinkedIntoItself_visitsItOncePerComponent() {
    RootFs fs = HostileInputs.selfLinkedConf(24);
    LdSoConf conf = assertTimeoutPreemptively(FAST, () -> LdSoConf.read(fs, "/etc/ld.so.conf"));
    assertEquals(List.of("/opt/a"), conf.directories());
    assertEquals(List.of("/etc/ld.so.conf", "/etc/d/a.conf"), conf.filesRead());
    assertEquals(List.of(), conf.problems());
  }

  @Test
  void read_thousandsOfFilesEachIncludingAll_boundedWithBothLimitsNamed() {
    RootFs fs = HostileInputs.includeFanout(5_000);
    LdSoConf conf = assertTimeoutPreemptively(FAST, () -> LdSoConf.read(fs, "/etc/ld.so.conf"));
    assertEquals(LdSoConf.MAX_FILES, conf.filesRead().size());
    assertEquals(LdSoConf.MAX_FILES - 1, conf.directories().size());
    assertEquals("/opt/f00000", conf.directories().get(0));
    assertEquals(
        List.of(
            new BrokenFile(
                "/etc/ld.so.conf",
                "include pattern /etc/ld.so.conf.d/*.conf matches more than 4096 paths;"
                    + " the first 4096 are read"),
            new BrokenFile(
                "/etc/ld.so.conf.d/f01023.conf",
                "more than 1024 ld.so.conf files included; the rest not read")),
        conf.problems());
  }

  @Test
  void read_fanoutWithinLimits_everyFileOnce() {
    LdSoConf conf = LdSoConf.read(HostileInputs.includeFanout(500), "/etc/ld.so.conf");
    assertEquals(501, conf.filesRead().size());
    assertEquals(500, conf.directories().size());
    assertEquals(List.of(), conf.problems());
  }

  @Test
  void read_includesNestedTooDeep_stopsAtTheLimitAndSaysWhere() {
    LdSoConf conf = LdSoConf.read(HostileInputs.includeChain(40), "/etc/ld.so.conf");
    // ld.so.conf is depth 0, c0 depth 1, …, c15 depth 16.
    assertEquals(LdSoConf.MAX_DEPTH, conf.directories().size());
    assertEquals(
        List.of(new BrokenFile("/etc/c16.conf", "included more than 16 levels deep; not read")),
        conf.problems());
  }

  @Test
  void read_includeCycle_eachFileOnce() {
    RootFs fs =
        new TestFs()
            .text("/etc/ld.so.conf", "include a.conf\n")
            .text("/etc/a.conf", "/opt/a\ninclude b.conf /etc/ld.so.conf\n")
            .text("/etc/b.conf", "/opt/b\ninclude a.conf *.conf\n")
            .build();
    LdSoConf conf = assertTimeoutPreemptively(FAST, () -> LdSoConf.read(fs, "/etc/ld.so.conf"));
    assertEquals(List.of("/opt/a", "/opt/b"), conf.directories());
    assertEquals(List.of("/etc/ld.so.conf", "/etc/a.conf", "/etc/b.conf"), conf.filesRead());
  }

  @Test
  void read_patternLongerThanPathMax_notExpanded() {
    String pattern = "/etc/" + "x/".repeat(3000) + "*.conf";
    RootFs fs = new TestFs().text("/etc/ld.so.conf", "include " + pattern + "\n/opt/a\n").build();
    LdSoConf conf = LdSoConf.read(fs, "/etc/ld.so.conf");
    assertEquals(List.of("/opt/a"), conf.directories());
    assertEquals(1, conf.problems().size());
    assertTrue(
        conf.problems()
            .get(0)
            .reason()
            .endsWith("characters, longer than the limit of 4096; not expanded"),
        conf.problems().toString());
  }

  @Test
  void read_fileLargerThanTheLimit_firstPartReadAndSaid() {
    String big = "/opt/a\n" + "#".repeat(LdSoConf.MAX_FILE) + "\n/opt/late\n";
    LdSoConf conf =
        LdSoConf.read(new TestFs().text("/etc/ld.so.conf", big).build(), "/etc/ld.so.conf");
    assertEquals(List.of("/opt/a"), conf.directories());
    assertEquals(
        List.of(
            new BrokenFile(
                "/etc/ld.so.conf", "larger than 1048576 bytes; only the first 1048576 read")),
        conf.problems());
  }

  @Test
  void closure_confProblemsAreBrokenFiles() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/app", TestFs.program("libc.so.6", "libmissing.so.1"))
            .text("/etc/ld.so.conf", "include /etc/" + "y/".repeat(2100) + "*\n")
            .build();
    Closure c = new ClosureResolver(fs, LinkerEnv.defaults()).closureOf(List.of("/app"));
    assertTrue(
        c.broken().stream()
            .anyMatch(
                b -> b.path().equals("/etc/ld.so.conf") && b.reason().contains("limit of 4096")),
        c.broken().toString());
  }
}
