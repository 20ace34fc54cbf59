package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.info;
import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoaderConfigTest {
  private static LoaderConfig config(RootFs fs) {
    return new LoaderConfig(fs, new ImageFiles(fs));
  }

  private static TestFs muslImage() {
    return new TestFs().elf("/lib/ld-musl-aarch64.so.1", lib().machine(ElfInfo.EM_AARCH64));
  }

  @Test
  void rulesFor_byInterpreterName() {
    LoaderConfig config = config(new TestFs().build());
    assertInstanceOf(GlibcRules.class, config.rulesFor(info(program()), Optional.empty()));
    assertInstanceOf(
        MuslRules.class,
        config.rulesFor(info(lib().interpreter("/lib/ld-musl-x86_64.so.1")), Optional.empty()));
  }

  @Test
  void rulesFor_libraryRoot_muslWithoutCacheOrWhenItNeedsMuslLibc() {
    assertInstanceOf(
        MuslRules.class, config(muslImage().build()).rulesFor(info(lib()), Optional.empty()));
    RootFs withCache = muslImage().file("/etc/ld.so.cache", new byte[0]).build();
    assertInstanceOf(GlibcRules.class, config(withCache).rulesFor(info(lib()), Optional.empty()));
    assertInstanceOf(
        MuslRules.class,
        config(withCache).rulesFor(info(lib("libc.musl-aarch64.so.1")), Optional.empty()));
    assertInstanceOf(
        GlibcRules.class, config(new TestFs().build()).rulesFor(info(lib()), Optional.empty()));
  }

  @Test
  void rulesFor_libraryRoot_theLoaderFoundIsTheBuiltin() {
    LoaderRules rules = config(muslImage().build()).rulesFor(info(lib()), Optional.empty());
    assertEquals("/lib/ld-musl-aarch64.so.1", rules.builtin("libc.so").orElseThrow().finalPath());
  }

  @Test
  void cache_parsedOnce_brokenOneReportedAndIgnored() {
    byte[] good =
        new LdSoCacheFixture()
            .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
            .newFormat();
    LoaderConfig config = config(new TestFs().file("/etc/ld.so.cache", good).build());
    assertTrue(config.cache().isPresent());
    assertEquals(config.cache().get(), config.cache().get());
    assertEquals(Optional.empty(), config.cacheProblem());

    LoaderConfig broken =
        config(
            new TestFs()
                .file("/etc/ld.so.cache", "garbage".getBytes(StandardCharsets.ISO_8859_1))
                .build());
    assertEquals(Optional.empty(), broken.cacheProblem());
    assertEquals(Optional.empty(), broken.cache());
    assertEquals("/etc/ld.so.cache", broken.cacheProblem().orElseThrow().path());
  }

  @Test
  void confDirs_withIncludes() {
    RootFs fs =
        new TestFs()
            .text("/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n/opt/b\n")
            .text("/etc/ld.so.conf.d/a.conf", "/opt/a\n")
            .build();
    assertEquals(List.of("/opt/a", "/opt/b"), config(fs).confDirs());
  }

  @Test
  void muslPathFile_colonOrNewlineSeparated_emptyWhenMissing() {
    RootFs fs = new TestFs().text("/etc/ld-musl-x86_64.path", "/a:/b\n\n/c").build();
    LoaderConfig config = config(fs);
    assertEquals(Optional.of(List.of("/a", "/b", "/c")), config.muslPathFile("x86_64"));
    assertEquals(Optional.empty(), config.muslPathFile("aarch64"));
  }
}
