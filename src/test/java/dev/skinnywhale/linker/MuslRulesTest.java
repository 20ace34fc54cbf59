package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.info;
import static dev.skinnywhale.linker.TestFs.lib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MuslRulesTest {
  private static final String LOADER = "/lib/ld-musl-x86_64.so.1";

  private static MuslRules rules(RootFs fs) {
    ImageFiles files = new ImageFiles(fs);
    Located interp = files.locate(LOADER);
    return (MuslRules)
        new LoaderConfig(fs, files).rulesFor(info(lib().interpreter(LOADER)), Optional.of(interp));
  }

  private static TestFs alpine() {
    return new TestFs().elf(LOADER, ElfFixture.x86_64().soname("libc.musl-x86_64.so.1"));
  }

  private static LoadedObject object(ElfFixture f, List<String> chain) {
    return new LoadedObject("/opt/app/bin/app", info(f), "/opt/app/bin", chain);
  }

  @Test
  void steps_ldLibraryPathThenChainThenPathFile() {
    MuslRules rules =
        rules(alpine().text("/etc/ld-musl-x86_64.path", "/opt/m\n/usr/lib:/lib\n\n").build());
    List<String> steps =
        rules
            .steps(object(lib().runpath("/ignored"), List.of("/opt/r")), List.of("/opt/ld"))
            .stream()
            .map(s -> s.kind() + " " + s.dir())
            .toList();
    assertEquals(
        List.of(
            "LD_LIBRARY_PATH /opt/ld",
            "RPATH /opt/r",
            "SYSTEM /opt/m",
            "SYSTEM /usr/lib",
            "SYSTEM /lib"),
        steps);
  }

  @Test
  void steps_defaultPathWithoutPathFile() {
    List<SearchStep> steps = rules(alpine().build()).steps(object(lib(), List.of()), List.of());
    assertEquals(
        List.of("/lib", "/usr/local/lib", "/usr/lib"),
        steps.stream().map(SearchStep::dir).toList());
  }

  @Test
  void inheritedPath_runpathElseRpath() {
    MuslRules rules = rules(alpine().build());
    assertEquals(List.of("/n"), rules.inheritedPath(info(lib().rpath("/r").runpath("/n"))));
    assertEquals(List.of("/r"), rules.inheritedPath(info(lib().rpath("/r"))));
  }

  @Test
  void expand_onlyOrigin() {
    MuslRules rules = rules(alpine().build());
    LoadedObject obj = object(lib(), List.of());
    assertEquals(
        Optional.of("/opt/app/bin/../$LIB/$PLATFORM"),
        rules.expand("${ORIGIN}/../$LIB/$PLATFORM", obj));
    assertEquals(Optional.of("$ORIGIN/libx.so"), rules.neededName("$ORIGIN/libx.so", obj));
  }

  @Test
  void builtin_reservedNamesAreTheLoader() {
    MuslRules rules = rules(alpine().build());
    for (String name :
        List.of(
            "libc.so",
            "libpthread.so.0",
            "librt.so.1",
            "libm.so.6",
            "libdl.so.2",
            "libutil.so.1",
            "libxnet.so")) {
      assertEquals(LOADER, rules.builtin(name).orElseThrow().finalPath(), name);
    }
    for (String name : List.of("libcrypto.so.3", "libz.so.1", "c.so", "libmagic.so")) {
      assertEquals(Optional.empty(), rules.builtin(name), name);
    }
    assertFalse(rules.matchesSoname());
  }

  @Test
  void candidates_plainOnly() {
    assertEquals(
        List.of(new LoaderRules.Candidate("/lib/libz.so", false)),
        rules(alpine().build())
            .candidates(new SearchStep(SearchStep.Kind.SYSTEM, "/lib"), "libz.so", info(lib())));
  }
}
