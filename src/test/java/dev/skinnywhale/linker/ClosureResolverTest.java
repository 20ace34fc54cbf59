package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureResolverTest {
  private static final LinkerEnv ENV = LinkerEnv.defaults();

  private static byte[] debianCache(String... extra) {
    LdSoCacheFixture c =
        new LdSoCacheFixture()
            .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
            .add(
                "ld-linux-x86-64.so.2",
                "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                LdSoCacheFixture.X86_64);
    for (int i = 0; i < extra.length; i += 2) {
      c.add(extra[i], extra[i + 1], LdSoCacheFixture.X86_64);
    }
    return c.newFormat();
  }

  private static Closure closure(RootFs fs, LinkerEnv env, String... roots) {
    return new ClosureResolver(fs, env).closureOf(List.of(roots));
  }

  private static Dependency dep(Closure c, String neededBy, String name) {
    return c.dependencies().stream()
        .filter(d -> d.neededBy().equals(neededBy) && d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " needed by " + neededBy + " in " + c));
  }

  private static String found(Closure c, String neededBy, String name) {
    return dep(c, neededBy, name).finalPath();
  }

  @Test
  void closureOf_debianProgram_interpreterLibcAndHops() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .elf("/usr/bin/app", program("libc.so.6"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    Dependency interp = dep(c, "/usr/bin/app", "/lib64/ld-linux-x86-64.so.2");
    assertEquals(DependencyKind.INTERPRETER, interp.kind());
    assertEquals("/lib64/ld-linux-x86-64.so.2", interp.path());
    assertEquals("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", interp.finalPath());
    assertEquals(List.of("/lib64", "/usr/lib64/ld-linux-x86-64.so.2"), interp.hops());
    Dependency libc = dep(c, "/usr/bin/app", "libc.so.6");
    assertEquals("/lib/x86_64-linux-gnu/libc.so.6", libc.path());
    assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", libc.finalPath());
    assertEquals(List.of("/lib"), libc.hops());
    assertEquals(
        "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        found(c, "/usr/lib/x86_64-linux-gnu/libc.so.6", "ld-linux-x86-64.so.2"));
    assertEquals(List.of(), c.unresolved());
    assertEquals(List.of(), c.broken());
    assertTrue(
        c.pathsToKeep()
            .containsAll(
                List.of(
                    "/lib",
                    "/lib64",
                    "/usr/lib64/ld-linux-x86-64.so.2",
                    "/lib64/ld-linux-x86-64.so.2",
                    "/lib/x86_64-linux-gnu/libc.so.6",
                    "/usr/lib/x86_64-linux-gnu/libc.so.6",
                    "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")),
        c.pathsToKeep().toString());
  }

  @Test
  void closureOf_withoutCache_defaultMultiarchDirs() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/lib/x86_64-linux-gnu/libz.so.1", lib())
            .elf("/usr/bin/app", program("libz.so.1"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    Dependency z = dep(c, "/usr/bin/app", "libz.so.1");
    assertEquals("/lib/x86_64-linux-gnu/libz.so.1", z.path());
    assertEquals(List.of("/lib"), z.hops());
  }

  @Test
  void closureOf_rpathInherited() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libA.so").rpath("/opt/a"))
            .elf("/opt/a/libA.so", lib("libB.so"))
            .elf("/opt/a/libB.so", lib())
            .elf("/usr/lib/libB.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/a/libA.so", found(c, "/usr/bin/app", "libA.so"));
    assertEquals("/opt/a/libB.so", found(c, "/opt/a/libA.so", "libB.so"));
  }

  @Test
  void closureOf_runpathNotInherited() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libA.so").runpath("/opt/a"))
            .elf("/opt/a/libA.so", lib("libB.so"))
            .elf("/opt/a/libB.so", lib())
            .elf("/usr/lib/libB.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/a/libA.so", found(c, "/usr/bin/app", "libA.so"));
    assertEquals("/usr/lib/libB.so", found(c, "/opt/a/libA.so", "libB.so"));
  }

  @Test
  void closureOf_runpathDisablesRpath() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libX.so").rpath("/opt/r").runpath("/opt/n"))
            .elf("/opt/r/libX.so", lib())
            .elf("/opt/n/libX.so", lib())
            .build();
    assertEquals(
        "/opt/n/libX.so", found(closure(fs, ENV, "/usr/bin/app"), "/usr/bin/app", "libX.so"));
  }

  @Test
  void closureOf_rpathOfProgramReachesThroughRunpathLibrary() {
    // glibc walks the whole loader chain for DT_RPATH; a loader with DT_RUNPATH just adds nothing.
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libA.so").rpath("/opt/r"))
            .elf("/opt/r/libA.so", lib("libB.so").runpath("/opt/n"))
            .elf("/opt/n/libB.so", lib("libC.so"))
            .elf("/opt/r/libC.so", lib())
            .elf("/usr/lib/libC.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/n/libB.so", found(c, "/opt/r/libA.so", "libB.so"));
    assertEquals("/opt/r/libC.so", found(c, "/opt/n/libB.so", "libC.so"));
  }

  @Test
  void closureOf_origin_fromRealPathOfProgram() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/opt/app/bin/app", program("libq.so").rpath("$ORIGIN/../lib"))
            .link("/usr/local/bin/app", "/opt/app/bin/app")
            .elf("/opt/app/lib/libq.so", lib("libr.so").runpath("${ORIGIN}"))
            .elf("/opt/app/lib/libr.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/local/bin/app");
    Dependency q = dep(c, "/opt/app/bin/app", "libq.so");
    assertEquals("/opt/app/lib/libq.so", q.finalPath());
    assertEquals("/opt/app/lib/libr.so", found(c, "/opt/app/lib/libq.so", "libr.so"));
  }

  @Test
  void closureOf_originDotDot_isPhysical() {
    // /opt/app/bin -> /srv/real/bin, so $ORIGIN/.. is /srv/real, not /opt/app.
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/srv/real/bin/app", program("libA.so"))
            .elf("/srv/real/lib/libA.so", lib("libB.so").rpath("$ORIGIN/../lib2"))
            .elf("/srv/real/lib2/libB.so", lib())
            .elf("/opt/app/lib2/libB.so", lib())
            .link("/opt/app/bin", "/srv/real/bin")
            .link("/opt/app/lib", "/srv/real/lib")
            .elf("/usr/bin/launcher", program("libA.so").rpath("/opt/app/lib"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/launcher");
    Dependency a = dep(c, "/usr/bin/launcher", "libA.so");
    assertEquals("/opt/app/lib/libA.so", a.path());
    assertEquals(List.of("/opt/app/lib"), a.hops());
    Dependency b = dep(c, "/srv/real/lib/libA.so", "libB.so");
    assertEquals("/srv/real/lib2/libB.so", b.finalPath());
  }

  @Test
  void closureOf_libAndPlatformTokens() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libp.so", "libl.so").rpath("/opt/$PLATFORM:/opt/$LIB"))
            .elf("/opt/x86_64/libp.so", lib())
            .elf("/opt/lib/x86_64-linux-gnu/libl.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/x86_64/libp.so", found(c, "/usr/bin/app", "libp.so"));
    assertEquals("/opt/lib/x86_64-linux-gnu/libl.so", found(c, "/usr/bin/app", "libl.so"));
  }

  @Test
  void closureOf_libToken_nonMultiarchIsLib64() {
    RootFs fs =
        new TestFs()
            .elf("/usr/lib64/ld-linux-x86-64.so.2", ElfFixture.x86_64())
            .link("/lib64", "usr/lib64")
            .elf("/usr/bin/app", program("libl.so").rpath("/opt/$LIB"))
            .elf("/opt/lib64/libl.so", lib())
            .elf("/usr/lib64/libm.so", lib())
            .elf("/usr/bin/app2", program("libm.so"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app", "/usr/bin/app2");
    assertEquals("/opt/lib64/libl.so", found(c, "/usr/bin/app", "libl.so"));
    assertEquals("/lib64/libm.so", dep(c, "/usr/bin/app2", "libm.so").path());
  }

  @Test
  void closureOf_ldLibraryPath_betweenRpathAndRunpath() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libA.so", "libB.so").rpath("/opt/r"))
            .elf("/usr/bin/app2", program("libB.so").runpath("/opt/n"))
            .elf("/opt/r/libA.so", lib())
            .elf("/opt/ld/libA.so", lib())
            .elf("/opt/ld/libB.so", lib())
            .elf("/opt/n/libB.so", lib())
            .elf("/usr/lib/libB.so", lib())
            .build();
    LinkerEnv env = LinkerEnv.fromImageEnv(List.of("LD_LIBRARY_PATH=/opt/ld", "PATH=/usr/bin"));
    Closure c = closure(fs, env, "/usr/bin/app", "/usr/bin/app2");
    assertEquals("/opt/r/libA.so", found(c, "/usr/bin/app", "libA.so"));
    assertEquals("/opt/ld/libB.so", found(c, "/usr/bin/app", "libB.so"));
    assertEquals("/opt/ld/libB.so", found(c, "/usr/bin/app2", "libB.so"));
  }

  @Test
  void closureOf_nodeflib_skipsDefaultDirsAndSystemCacheEntries() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file(
                "/etc/ld.so.cache",
                debianCache(
                    "libs.so", "/usr/lib/x86_64-linux-gnu/libs.so", "libo.so", "/opt/o/libo.so"))
            .elf("/usr/lib/x86_64-linux-gnu/libs.so", lib())
            .elf("/usr/lib/libd.so", lib())
            .elf("/opt/o/libo.so", lib())
            .elf(
                "/usr/bin/app",
                program("libs.so", "libd.so", "libo.so").flags1(ElfInfo.DF_1_NODEFLIB))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/o/libo.so", found(c, "/usr/bin/app", "libo.so"));
    List<String> missing = c.unresolved().stream().map(Unresolved::name).sorted().toList();
    assertEquals(List.of("libd.so", "libs.so"), missing);
  }

  @Test
  void closureOf_wrongClassCandidate_skipped() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libw.so").rpath("/opt/w:/opt/v"))
            .elf("/opt/w/libw.so", ElfFixture.x86_64().elfClass(ElfClass.ELF32).machine(3))
            .elf("/opt/v/libw.so", lib().machine(ElfInfo.EM_AARCH64))
            .text("/usr/lib/x86_64-linux-gnu/libw.so", "/* GNU ld script */")
            .elf("/usr/lib/libw.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/usr/lib/libw.so", found(c, "/usr/bin/app", "libw.so"));
  }

  @Test
  void closureOf_hwcapsVariants_allKept_firstPrimary() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libh.so", lib())
            .elf("/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v2/libh.so", lib())
            .elf("/usr/lib/x86_64-linux-gnu/libh.so", lib())
            .elf("/usr/lib/libh.so", lib())
            .elf("/usr/bin/app", program("libh.so"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    List<String> paths =
        c.dependencies().stream()
            .filter(d -> d.name().equals("libh.so"))
            .map(Dependency::finalPath)
            .toList();
    assertEquals(
        List.of(
            "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libh.so",
            "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v2/libh.so",
            "/usr/lib/x86_64-linux-gnu/libh.so"),
        paths);
    assertEquals(1, c.primary().stream().filter(d -> d.name().equals("libh.so")).count());
  }

  @Test
  void closureOf_hwcapsCacheEntries() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file(
                "/etc/ld.so.cache",
                new LdSoCacheFixture()
                    .add(
                        "libh.so",
                        "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libh.so",
                        LdSoCacheFixture.X86_64,
                        LdSoCache.HWCAP_EXTENSION)
                    .add("libh.so", "/usr/lib/x86_64-linux-gnu/libh.so", LdSoCacheFixture.X86_64)
                    .newFormat())
            .elf("/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libh.so", lib())
            .elf("/usr/lib/x86_64-linux-gnu/libh.so", lib())
            .elf("/usr/bin/app", program("libh.so"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals(2, c.dependencies().stream().filter(d -> d.name().equals("libh.so")).count());
  }

  @Test
  void closureOf_ldSoConfFallback_withIncludeGlobs() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .text("/etc/ld.so.conf", "include ld.so.conf.d/*.conf\n")
            .text(
                "/etc/ld.so.conf.d/a.conf",
                "# comment\n/opt/conf # trailing\ninclude /etc/ld.so.conf\n")
            .text("/etc/ld.so.conf.d/b.txt", "/opt/ignored\n")
            .elf("/opt/conf/libk.so", lib())
            .elf("/opt/ignored/libi.so", lib())
            .elf("/usr/bin/app", program("libk.so", "libi.so"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/conf/libk.so", found(c, "/usr/bin/app", "libk.so"));
    assertEquals(List.of("libi.so"), c.unresolved().stream().map(Unresolved::name).toList());
  }

  @Test
  void closureOf_ldSoConfIgnoredWhenCachePresent() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .text("/etc/ld.so.conf", "/opt/conf\n")
            .elf("/opt/conf/libk.so", lib())
            .elf("/usr/bin/app", program("libk.so"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals(List.of("libk.so"), c.unresolved().stream().map(Unresolved::name).toList());
  }

  @Test
  void closureOf_musl_pathFileReservedNamesAndInheritedRunpath() {
    RootFs fs =
        new TestFs()
            .elf("/lib/ld-musl-x86_64.so.1", ElfFixture.x86_64().soname("libc.musl-x86_64.so.1"))
            .link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
            .text("/etc/ld-musl-x86_64.path", "/opt/m\n/usr/lib:/lib\n")
            .elf(
                "/usr/bin/app",
                ElfFixture.x86_64()
                    .interpreter("/lib/ld-musl-x86_64.so.1")
                    .needed("libc.musl-x86_64.so.1", "libfoo.so.1")
                    .runpath("/opt/r"))
            .elf("/opt/m/libfoo.so.1", lib("libbar.so", "libc.so"))
            .elf("/opt/r/libbar.so", lib())
            .elf("/usr/lib/libbar.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/lib/ld-musl-x86_64.so.1", found(c, "/usr/bin/app", "libc.musl-x86_64.so.1"));
    assertEquals("/opt/m/libfoo.so.1", found(c, "/usr/bin/app", "libfoo.so.1"));
    assertEquals("/opt/r/libbar.so", found(c, "/opt/m/libfoo.so.1", "libbar.so"));
    assertEquals("/lib/ld-musl-x86_64.so.1", found(c, "/opt/m/libfoo.so.1", "libc.so"));
    assertEquals(List.of(), c.unresolved());
  }

  @Test
  void closureOf_musl_defaultPathWithoutPathFile() {
    RootFs fs =
        new TestFs()
            .elf("/lib/ld-musl-aarch64.so.1", lib().machine(ElfInfo.EM_AARCH64))
            .elf(
                "/usr/bin/app",
                lib("libz.so.1")
                    .machine(ElfInfo.EM_AARCH64)
                    .interpreter("/lib/ld-musl-aarch64.so.1"))
            .elf("/usr/local/lib/libz.so.1", lib().machine(ElfInfo.EM_AARCH64))
            .build();
    assertEquals(
        "/usr/local/lib/libz.so.1",
        found(closure(fs, ENV, "/usr/bin/app"), "/usr/bin/app", "libz.so.1"));
  }

  @Test
  void closureOf_scriptInterpreterWithClosure() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .elf("/usr/bin/dash", program("libc.so.6"))
            .link("/usr/bin/sh", "dash")
            .text("/usr/local/bin/run.sh", "#!/bin/sh -e\necho hi\n")
            .build();
    Closure c = closure(fs, ENV, "/usr/local/bin/run.sh");
    Dependency sh = dep(c, "/usr/local/bin/run.sh", "/bin/sh");
    assertEquals(DependencyKind.SCRIPT_INTERPRETER, sh.kind());
    assertEquals("/usr/bin/dash", sh.finalPath());
    assertEquals(List.of("/bin", "/usr/bin/sh"), sh.hops());
    assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", found(c, "/usr/bin/dash", "libc.so.6"));
  }

  @Test
  void closureOf_envScript_looksUpPath() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .elf("/usr/bin/env", program("libc.so.6"))
            .elf("/usr/bin/python3.11", program("libc.so.6"))
            .link("/usr/bin/python3", "python3.11")
            .text("/app/a.py", "#!/usr/bin/env python3\nprint(1)\n")
            .text("/app/b.py", "#!/usr/bin/env -S python3 -u\nprint(1)\n")
            .text("/app/c.py", "#!/usr/bin/env nope\n")
            .build();
    Closure c = closure(fs, ENV, "/app/a.py", "/app/b.py", "/app/c.py");
    assertEquals("/usr/bin/env", found(c, "/app/a.py", "/usr/bin/env"));
    Dependency py = dep(c, "/app/a.py", "python3");
    assertEquals("/usr/bin/python3", py.path());
    assertEquals("/usr/bin/python3.11", py.finalPath());
    assertEquals("/usr/bin/python3.11", found(c, "/app/b.py", "python3"));
    assertEquals(
        "/usr/lib/x86_64-linux-gnu/libc.so.6", found(c, "/usr/bin/python3.11", "libc.so.6"));
    assertEquals(List.of("nope"), c.unresolved().stream().map(Unresolved::name).toList());
  }

  @Test
  void closureOf_missingLibrary_unresolvedWithWhereItLooked() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .elf("/usr/bin/app", program("libnope.so.3", "libc.so.6"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals(1, c.unresolved().size());
    Unresolved u = c.unresolved().get(0);
    assertEquals("libnope.so.3", u.name());
    assertEquals("/usr/bin/app", u.neededBy());
    assertEquals(DependencyKind.NEEDED, u.kind());
    assertTrue(u.reason().contains("ld.so.cache"), u.reason());
    assertTrue(u.reason().contains("/usr/lib/x86_64-linux-gnu"), u.reason());
  }

  @Test
  void closureOf_brokenElf_reportedAndSearchContinues() {
    byte[] broken = Arrays.copyOf(lib().bytes(), 40);
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("libb.so").rpath("/opt/b"))
            .file("/opt/b/libb.so", broken)
            .elf("/usr/lib/libb.so", lib())
            .file("/usr/bin/bad", broken)
            .text("/usr/share/readme", "hello")
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app", "/usr/bin/bad", "/usr/share/readme");
    assertEquals("/usr/lib/libb.so", found(c, "/usr/bin/app", "libb.so"));
    List<String> broke = c.broken().stream().map(BrokenFile::path).sorted().toList();
    assertEquals(List.of("/opt/b/libb.so", "/usr/bin/bad"), broke);
    assertTrue(c.broken().get(0).reason().contains("offset"), c.broken().get(0).reason());
  }

  @Test
  void closureOf_brokenCache_reportedAndIgnored() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .text("/etc/ld.so.cache", "garbage")
            .elf("/usr/bin/app", program("libc.so.6"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", found(c, "/usr/bin/app", "libc.so.6"));
    assertEquals(List.of("/etc/ld.so.cache"), c.broken().stream().map(BrokenFile::path).toList());
  }

  @Test
  void closureOf_nameWithSlash_notSearched() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/usr/bin/app", program("/opt/x/libx.so", "sub/liby.so"))
            .elf("/opt/x/libx.so", lib())
            .elf("/sub/liby.so", lib())
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/opt/x/libx.so", found(c, "/usr/bin/app", "/opt/x/libx.so"));
    assertEquals("/sub/liby.so", found(c, "/usr/bin/app", "sub/liby.so"));
  }

  @Test
  void closureOf_staticProgram_nothing() {
    RootFs fs = new TestFs().elf("/bin/busybox", ElfFixture.x86_64().type(2).noDynamic()).build();
    Closure c = closure(fs, ENV, "/bin/busybox");
    assertEquals(new Closure(List.of(), List.of(), List.of()), c);
  }

  @Test
  void closureOf_deterministic_regardlessOfRootOrder() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", debianCache())
            .elf("/usr/bin/a", program("libc.so.6", "libq.so"))
            .elf("/usr/bin/b", program("libq.so"))
            .elf("/usr/lib/libq.so", lib("libc.so.6"))
            .text("/usr/bin/s", "#!/usr/bin/a\n")
            .build();
    List<String> roots = new ArrayList<>(List.of("/usr/bin/a", "/usr/bin/b", "/usr/bin/s"));
    Closure first = closure(fs, ENV, roots.toArray(String[]::new));
    java.util.Collections.reverse(roots);
    Closure second = new ClosureResolver(fs, ENV).closureOf(roots);
    assertEquals(first, second);
    assertEquals(List.of(), first.unresolved());
  }

  /** Regression: a library's own dependencies are worked out for every program that loads it. */
  @Test
  void closureOf_privateCopyInOneProgram_otherProgramStillGetsTheSystemCopy() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file(
                "/etc/ld.so.cache",
                debianCache(
                    "libssl.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3",
                    "libcurl.so.4", "/usr/lib/x86_64-linux-gnu/libcurl.so.4"))
            .elf("/usr/lib/x86_64-linux-gnu/libssl.so.3", lib("libc.so.6").soname("libssl.so.3"))
            .elf(
                "/usr/lib/x86_64-linux-gnu/libcurl.so.4", lib("libssl.so.3").soname("libcurl.so.4"))
            .elf("/opt/app/lib/libssl.so.3", lib("libc.so.6").soname("libssl.so.3"))
            .elf(
                "/opt/app/bin/app",
                program("libssl.so.3", "libcurl.so.4").runpath("$ORIGIN/../lib"))
            .elf("/usr/bin/curl", program("libcurl.so.4"))
            .build();
    Closure c = closure(fs, ENV, "/opt/app/bin/app", "/usr/bin/curl");
    assertTrue(
        c.pathsToKeep().contains("/usr/lib/x86_64-linux-gnu/libssl.so.3"),
        "curl's libssl missing: " + c.pathsToKeep());
    assertTrue(c.pathsToKeep().contains("/opt/app/lib/libssl.so.3"), c.pathsToKeep().toString());
  }

  /** Regression: a legacy hwcap cache entry (haswell/, glibc < 2.37) does not end the search. */
  @Test
  void closureOf_legacyHwcapCacheEntry_plainLibraryKeptToo() {
    byte[] cache =
        new LdSoCacheFixture()
            .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
            .add(
                "libfoo.so.1",
                "/usr/lib/x86_64-linux-gnu/haswell/libfoo.so.1",
                LdSoCacheFixture.X86_64,
                1L << 3)
            .add("libfoo.so.1", "/usr/lib/x86_64-linux-gnu/libfoo.so.1", LdSoCacheFixture.X86_64)
            .newFormat();
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", cache)
            .elf("/usr/lib/x86_64-linux-gnu/haswell/libfoo.so.1", lib().soname("libfoo.so.1"))
            .elf("/usr/lib/x86_64-linux-gnu/libfoo.so.1", lib().soname("libfoo.so.1"))
            .elf("/usr/bin/app", program("libfoo.so.1"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertTrue(
        c.pathsToKeep().contains("/usr/lib/x86_64-linux-gnu/libfoo.so.1"),
        c.pathsToKeep().toString());
    assertTrue(
        c.pathsToKeep().contains("/usr/lib/x86_64-linux-gnu/haswell/libfoo.so.1"),
        c.pathsToKeep().toString());
  }

  /** Regression: without a cache the default directories come before ld.so.conf's. */
  @Test
  void closureOf_noCache_defaultDirsBeforeConfDirs() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .text("/etc/ld.so.conf", "/usr/local/lib\n")
            .elf("/usr/local/lib/libfoo.so.1", lib().soname("libfoo.so.1"))
            .elf("/usr/lib/x86_64-linux-gnu/libfoo.so.1", lib().soname("libfoo.so.1"))
            .elf("/usr/bin/app", program("libfoo.so.1"))
            .build();
    Closure c = closure(fs, ENV, "/usr/bin/app");
    assertEquals("/usr/lib/x86_64-linux-gnu/libfoo.so.1", found(c, "/usr/bin/app", "libfoo.so.1"));
  }
}
