package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Library names an object that imports dlopen has as literals, searched as its DT_NEEDED. */
class DlopenLiteralsTest {
  private static final LinkerEnv ENV = LinkerEnv.defaults();
  private static final String LIBDIR = "/usr/lib/x86_64-linux-gnu/";

  private static RootFs image() {
    return new TestFs()
        .debianBase()
        .elf(
            "/usr/bin/app",
            program("libc.so.6")
                .imports("dlopen", "puts")
                .runpath("$ORIGIN/../lib/app")
                .rodata("libplugin.so.1", "libprivate.so", "libmissing.so.3", "/opt/abs/libabs.so"))
        .elf(LIBDIR + "libplugin.so.1", lib("libdep.so.2", "libc.so.6").soname("libplugin.so.1"))
        .elf(LIBDIR + "libdep.so.2", lib("libc.so.6"))
        .elf("/usr/lib/app/libprivate.so", lib("libc.so.6"))
        .elf("/opt/abs/libabs.so", lib())
        .build();
  }

  @Test
  void closureOf_withLiterals_keepsWhatTheImageHasWithItsClosure() {
    Closure c = new ClosureResolver(image(), ENV, true).closureOf(List.of("/usr/bin/app"));
    List<String> literals =
        c.dependencies().stream()
            .filter(d -> d.kind() == DependencyKind.DLOPEN_LITERAL)
            .map(d -> d.name() + " " + d.finalPath())
            .sorted()
            .toList();
    assertEquals(
        List.of(
            "/opt/abs/libabs.so /opt/abs/libabs.so",
            "libplugin.so.1 " + LIBDIR + "libplugin.so.1",
            "libprivate.so /usr/lib/app/libprivate.so"),
        literals);
    assertTrue(
        c.dependencies().stream()
            .anyMatch(
                d ->
                    d.kind() == DependencyKind.NEEDED
                        && d.neededBy().equals(LIBDIR + "libplugin.so.1")
                        && d.name().equals("libdep.so.2")),
        "the literal's own DT_NEEDED: " + c.dependencies());
    assertEquals(
        List.of("libmissing.so.3"),
        c.unresolved().stream()
            .filter(u -> u.kind() == DependencyKind.DLOPEN_LITERAL)
            .map(Unresolved::name)
            .toList());
  }

  @Test
  void closureOf_withoutTheOption_ignoresLiterals() {
    Closure c = new ClosureResolver(image(), ENV).closureOf(List.of("/usr/bin/app"));
    assertTrue(c.dependencies().stream().noneMatch(d -> d.name().contains("plugin")));
    assertTrue(c.unresolved().isEmpty(), c.unresolved().toString());
  }

  @Test
  void closureOf_noDlopenImport_literalsAreNotCandidates() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libc.so.6").imports("puts").rodata("libplugin.so.1"))
            .elf(LIBDIR + "libplugin.so.1", lib())
            .build();
    Closure c = new ClosureResolver(fs, ENV, true).closureOf(List.of("/usr/bin/app"));
    assertTrue(c.dependencies().stream().noneMatch(d -> d.kind() == DependencyKind.DLOPEN_LITERAL));
  }

  @Test
  void elf_readsOnceAndFollowsSymlinks() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libc.so.6").imports("iconv_open"))
            .link("/usr/bin/app-link", "app")
            .text("/usr/bin/script", "#!/bin/sh\n")
            .build();
    ClosureResolver r = new ClosureResolver(fs, ENV);
    assertEquals(List.of("iconv_open"), r.elf("/usr/bin/app-link").orElseThrow().imports());
    assertTrue(r.elf("/usr/bin/script").isEmpty());
    assertTrue(r.elf("/nope").isEmpty());
  }
}
