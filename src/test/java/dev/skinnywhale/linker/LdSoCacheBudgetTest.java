package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.skinnywhale.rootfs.RootFs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An ld.so.cache costs memory in proportion to its strings, never to how often they are named. */
class LdSoCacheBudgetTest {
  private static final Duration FAST = Duration.ofSeconds(10);

  @Test
  void parse_manyEntriesNamingOneLongString_decodesItOnce() {
    byte[] file = HostileInputs.cacheOneString(40_000, 250_000);
    LdSoCache cache = assertTimeoutPreemptively(FAST, () -> LdSoCache.parse(ByteBuffer.wrap(file)));
    assertEquals(40_000, cache.entries().size());
    assertEquals(250_000, cache.entries().get(0).path().length());
    assertSame(cache.entries().get(0).path(), cache.entries().get(39_999).name());
  }

  @Test
  void parse_suffixesOfOneLongString_stopsAtTheStringBudget() {
    byte[] file = HostileInputs.cacheSuffixes(40_000, 250_000);
    LdSoCacheFormatException e =
        assertTimeoutPreemptively(
            FAST,
            () ->
                assertThrows(
                    LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(file))));
    assertEquals(
        "key of entry 67: string at file offset 0xea673 takes the strings read past the limit"
            + " of 16777216 bytes",
        e.getMessage());
  }

  @Test
  void parse_moreEntriesThanTheLimit_refused() {
    byte[] file = HostileInputs.cacheOneString(LdSoCache.MAX_ENTRIES + 1, 8);
    LdSoCacheFormatException e =
        assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(file)));
    assertEquals(
        "new-format header: 200001 entries, more than the limit of 200000", e.getMessage());
  }

  @Test
  void closure_cacheOverBudget_isABrokenFileAndTheSearchGoesOn() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/app", TestFs.program("libc.so.6"))
            .file("/etc/ld.so.cache", HostileInputs.cacheSuffixes(40_000, 250_000))
            .build();
    Closure c =
        assertTimeoutPreemptively(
            FAST, () -> new ClosureResolver(fs, LinkerEnv.defaults()).closureOf(List.of("/app")));
    assertEquals(List.of(), c.unresolved());
    assertEquals(1, c.broken().size());
    assertEquals("/etc/ld.so.cache", c.broken().get(0).path());
  }
}
