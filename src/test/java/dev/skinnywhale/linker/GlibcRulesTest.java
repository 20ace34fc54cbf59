package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.info;
import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GlibcRulesTest {
  private static GlibcRules rules(RootFs fs) {
    return (GlibcRules)
        new LoaderConfig(fs, new ImageFiles(fs)).rulesFor(info(program()), Optional.empty());
  }

  private static LoadedObject object(String path, ElfFixture f, List<String> chain) {
    return new LoadedObject(path, info(f), path.substring(0, path.lastIndexOf('/')), chain);
  }

  private static List<String> describe(List<SearchStep> steps) {
    return steps.stream().map(s -> s.kind() + " " + s.dir()).toList();
  }

  private static byte[] cache() {
    return new LdSoCacheFixture()
        .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
        .newFormat();
  }

  @Test
  void steps_withCache_rpathChainLdLibraryPathRunpathCacheDefaults() {
    GlibcRules rules = rules(new TestFs().debianBase().file("/etc/ld.so.cache", cache()).build());
    LoadedObject obj = object("/opt/a/libA.so", lib(), List.of("/opt/r"));
    assertEquals(
        List.of(
            "RPATH /opt/r",
            "LD_LIBRARY_PATH /opt/ld",
            "CACHE ",
            "SYSTEM /lib/x86_64-linux-gnu",
            "SYSTEM /usr/lib/x86_64-linux-gnu",
            "SYSTEM /lib",
            "SYSTEM /usr/lib"),
        describe(rules.steps(obj, List.of("/opt/ld"))));
  }

  @Test
  void steps_ownRunpath_disablesTheChainAndIsExpanded() {
    GlibcRules rules = rules(new TestFs().debianBase().file("/etc/ld.so.cache", cache()).build());
    LoadedObject obj = object("/opt/a/libA.so", lib().runpath("$ORIGIN/../n:"), List.of("/opt/r"));
    List<String> steps = describe(rules.steps(obj, List.of()));
    assertEquals(List.of("RUNPATH /opt/a/../n", "RUNPATH .", "CACHE "), steps.subList(0, 3));
  }

  @Test
  void steps_nodeflib_cacheWithoutDefaultDirs() {
    GlibcRules rules = rules(new TestFs().debianBase().file("/etc/ld.so.cache", cache()).build());
    LoadedObject obj = object("/usr/bin/app", program().flags1(ElfInfo.DF_1_NODEFLIB), List.of());
    assertEquals(List.of("CACHE_NODEFLIB "), describe(rules.steps(obj, List.of())));
  }

  @Test
  void steps_withoutCache_defaultsThenConfDirsOutsideThem() {
    RootFs fs = new TestFs().debianBase().text("/etc/ld.so.conf", "/opt/conf\n/usr/lib\n").build();
    LoadedObject obj = object("/usr/bin/app", program(), List.of());
    List<String> steps = describe(rules(fs).steps(obj, List.of()));
    assertEquals(List.of("CONF /opt/conf", "CONF /usr/lib"), steps.subList(4, 6));
    LoadedObject nodeflib =
        object("/usr/bin/app", program().flags1(ElfInfo.DF_1_NODEFLIB), List.of());
    assertEquals(List.of("CONF /opt/conf"), describe(rules(fs).steps(nodeflib, List.of())));
  }

  @Test
  void defaultDirs_multiarchOrLib64OrLib() {
    ElfInfo x64 = info(lib());
    assertEquals(
        new GlibcRules.DefaultDirs(
            List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib"),
            "lib/x86_64-linux-gnu"),
        rules(new TestFs().debianBase().build()).defaultDirs(x64));
    GlibcRules plain = rules(new TestFs().build());
    assertEquals(
        new GlibcRules.DefaultDirs(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib"), "lib64"),
        plain.defaultDirs(x64));
    assertEquals(
        new GlibcRules.DefaultDirs(List.of("/lib", "/usr/lib"), "lib"),
        plain.defaultDirs(info(lib().elfClass(ElfClass.ELF32).machine(ElfInfo.EM_386))));
  }

  @Test
  void inheritedPath_rpathOnlyWithoutRunpath() {
    GlibcRules rules = rules(new TestFs().build());
    assertEquals(List.of("/r"), rules.inheritedPath(info(lib().rpath("/r"))));
    assertEquals(List.of(), rules.inheritedPath(info(lib().rpath("/r").runpath("/n"))));
  }

  @Test
  void expand_originLibPlatform_bracedOrNot_unknownKept() {
    GlibcRules rules = rules(new TestFs().debianBase().build());
    LoadedObject obj = object("/opt/app/bin/app", program(), List.of());
    assertEquals(
        Optional.of("/opt/app/bin/x86_64-lib/x86_64-linux-gnu/$FOO${ORIGIN"),
        rules.expand("${ORIGIN}/$PLATFORM-$LIB/$FOO${ORIGIN", obj));
    assertEquals(
        List.of("/opt/app/bin/../lib", "."), rules.expandDirs(List.of("$ORIGIN/../lib", ""), obj));
  }

  @Test
  void expand_libWithoutMultiarch_lib64_unknownPlatformDropsTheElement() {
    GlibcRules rules = rules(new TestFs().build());
    assertEquals(
        Optional.of("/opt/lib64"), rules.expand("/opt/$LIB", object("/a/b", program(), List.of())));
    LoadedObject mips = object("/a/b", lib().machine(8), List.of());
    assertEquals(Optional.empty(), rules.expand("/opt/$PLATFORM", mips));
    assertEquals(List.of(), rules.expandDirs(List.of("/opt/$PLATFORM"), mips));
  }

  @Test
  void neededName_tokensExpanded_noBuiltins() {
    GlibcRules rules = rules(new TestFs().build());
    LoadedObject obj = object("/opt/app/app", program(), List.of());
    assertEquals(Optional.of("/opt/app/libx.so"), rules.neededName("$ORIGIN/libx.so", obj));
    assertEquals(Optional.empty(), rules.builtin("libc.so"));
    assertTrue(rules.matchesSoname());
  }

  @Test
  void candidates_hwcapsSubdirectoriesFirst() {
    GlibcRules rules = rules(new TestFs().build());
    List<LoaderRules.Candidate> c =
        rules.candidates(new SearchStep(SearchStep.Kind.SYSTEM, "/lib"), "libz.so", info(lib()));
    assertEquals(
        List.of(
            new LoaderRules.Candidate("/lib/glibc-hwcaps/x86-64-v4/libz.so", true),
            new LoaderRules.Candidate("/lib/glibc-hwcaps/x86-64-v3/libz.so", true),
            new LoaderRules.Candidate("/lib/glibc-hwcaps/x86-64-v2/libz.so", true),
            new LoaderRules.Candidate("/lib/libz.so", false)),
        c);
  }

  @Test
  void candidates_cache_nodeflibSkipsEntriesUnderDefaultDirs() {
    byte[] cache =
        new LdSoCacheFixture()
            .add("libs.so", "/usr/lib/x86_64-linux-gnu/libs.so", LdSoCacheFixture.X86_64)
            .add("libs.so", "/opt/o/libs.so", LdSoCacheFixture.X86_64)
            .newFormat();
    GlibcRules rules = rules(new TestFs().debianBase().file("/etc/ld.so.cache", cache).build());
    assertEquals(
        List.of(
            new LoaderRules.Candidate("/usr/lib/x86_64-linux-gnu/libs.so", false),
            new LoaderRules.Candidate("/opt/o/libs.so", false)),
        rules.candidates(new SearchStep(SearchStep.Kind.CACHE, ""), "libs.so", info(lib())));
    assertEquals(
        List.of(new LoaderRules.Candidate("/opt/o/libs.so", false)),
        rules.candidates(
            new SearchStep(SearchStep.Kind.CACHE_NODEFLIB, ""), "libs.so", info(lib())));
  }
}
