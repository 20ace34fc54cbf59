package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.HostileElf;
import dev.skinnywhale.rootfs.RootFs;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A closure costs work in proportion to the libraries a program may name, with limits named. */
class ClosureBudgetTest {
  private static final Duration FAST = Duration.ofSeconds(20);

  @Test
  void closure_libraryWithAMillionDtNeeded_isSkippedNamingTheLimit() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/app", TestFs.program("libc.so.6", "libhostile.so.1"))
            .file(
                "/usr/lib/x86_64-linux-gnu/libhostile.so.1",
                HostileElf.manyNeeded(1_000_000, false))
            .build();
    Closure c =
        assertTimeoutPreemptively(
            FAST, () -> new ClosureResolver(fs, LinkerEnv.defaults()).closureOf(List.of("/app")));
    assertEquals(
        List.of(
            new BrokenFile(
                "/usr/lib/x86_64-linux-gnu/libhostile.so.1",
                "ELF: dynamic section at offset 0xb0: more than 4096 DT_NEEDED entries, the limit")),
        c.broken());
  }

  @Test
  void closure_programNamingTooManyLibraries_stopsAndSaysWhich() {
    TestFs tfs = new TestFs().debianBase();
    String[] libs =
        IntStream.range(0, 12).mapToObj(i -> "libwide" + i + ".so").toArray(String[]::new);
    tfs.elf("/app", TestFs.program(libs));
    for (int i = 0; i < libs.length; i++) {
      int lib = i;
      String[] missing =
          IntStream.range(0, 3_000)
              .mapToObj(j -> "libm" + lib + "x" + j + ".so")
              .toArray(String[]::new);
      tfs.elf("/usr/lib/x86_64-linux-gnu/" + libs[i], TestFs.lib(missing));
    }
    RootFs fs = tfs.build();
    Closure c =
        assertTimeoutPreemptively(
            FAST, () -> new ClosureResolver(fs, LinkerEnv.defaults()).closureOf(List.of("/app")));
    assertEquals(
        List.of(
            new BrokenFile(
                "/app",
                "its objects name more than 32768 libraries, the limit; the rest of its closure"
                    + " not resolved")),
        c.broken());
    assertTrue(c.unresolved().size() <= ClosureResolver.MAX_NAMES_PER_PROGRAM);
    assertTrue(
        c.dependencies().stream().anyMatch(d -> d.name().equals("libwide11.so")),
        "what was found before the limit is kept");
  }
}
