package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.elf.ElfReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LdSoCacheTest {
  static ElfInfo elf(ElfFixture f) throws Exception {
    return new ElfReader().read(ByteBuffer.wrap(f.bytes()));
  }

  private static LdSoCacheFixture sample() {
    return new LdSoCacheFixture()
        .add("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", LdSoCacheFixture.X86_64)
        .add("libz.so.1", "/lib/i386-linux-gnu/libz.so.1", LdSoCacheFixture.I386)
        .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
        .add("libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", LdSoCacheFixture.AARCH64);
  }

  private static final List<LdSoCache.Entry> EXPECTED =
      List.of(
          new LdSoCache.Entry("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", 0x303, 0),
          new LdSoCache.Entry("libz.so.1", "/lib/i386-linux-gnu/libz.so.1", 0x3, 0),
          new LdSoCache.Entry("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0x303, 0),
          new LdSoCache.Entry("libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", 0xa03, 0));

  @Test
  void parse_newFormat() throws Exception {
    LdSoCache c = LdSoCache.parse(ByteBuffer.wrap(sample().newFormat()));
    assertEquals(LdSoCache.Format.NEW, c.format());
    assertEquals(EXPECTED, c.entries());
  }

  @Test
  void parse_newFormatBigEndian() throws Exception {
    LdSoCache c =
        LdSoCache.parse(ByteBuffer.wrap(sample().order(ByteOrder.BIG_ENDIAN).newFormat()));
    assertEquals(EXPECTED, c.entries());
  }

  @Test
  void parse_oldFormat() throws Exception {
    LdSoCache c = LdSoCache.parse(ByteBuffer.wrap(sample().oldFormat()));
    assertEquals(LdSoCache.Format.OLD, c.format());
    assertEquals(EXPECTED, c.entries());
  }

  @Test
  void parse_oldFormatBigEndian() throws Exception {
    LdSoCache c =
        LdSoCache.parse(ByteBuffer.wrap(sample().order(ByteOrder.BIG_ENDIAN).oldFormat()));
    assertEquals(EXPECTED, c.entries());
  }

  @Test
  void parse_compatFormat_usesNewPart() throws Exception {
    byte[] bytes = sample().compatFormat();
    LdSoCache c = LdSoCache.parse(ByteBuffer.wrap(bytes));
    assertEquals(LdSoCache.Format.COMPAT, c.format());
    assertEquals(EXPECTED, c.entries());
    // Break the new part's magic: the old part alone must read the same.
    int newAt = (LdSoCache.OLD_HEADER + 4 * LdSoCache.OLD_ENTRY + 7) & ~7;
    bytes[newAt] = 'X';
    LdSoCache old = LdSoCache.parse(ByteBuffer.wrap(bytes));
    assertEquals(LdSoCache.Format.OLD, old.format());
    assertEquals(EXPECTED, old.entries());
  }

  @Test
  void parse_hwcapsEntry() throws Exception {
    LdSoCache c =
        LdSoCache.parse(
            ByteBuffer.wrap(
                new LdSoCacheFixture()
                    .add(
                        "libx.so",
                        "/usr/lib/glibc-hwcaps/x86-64-v3/libx.so",
                        0x303,
                        LdSoCache.HWCAP_EXTENSION | 1)
                    .add("libx.so", "/usr/lib/libx.so", 0x303)
                    .newFormat()));
    assertTrue(c.entries().get(0).hwcapsVariant());
    assertEquals(
        List.of("/usr/lib/glibc-hwcaps/x86-64-v3/libx.so", "/usr/lib/libx.so"),
        c.lookup("libx.so", elf(ElfFixture.x86_64())));
  }

  @Test
  void lookup_filtersByArchitecture() throws Exception {
    LdSoCache c = LdSoCache.parse(ByteBuffer.wrap(sample().newFormat()));
    assertEquals(
        List.of("/lib/x86_64-linux-gnu/libz.so.1"),
        c.lookup("libz.so.1", elf(ElfFixture.x86_64())));
    assertEquals(
        List.of("/lib/i386-linux-gnu/libz.so.1"),
        c.lookup(
            "libz.so.1",
            elf(ElfFixture.x86_64().elfClass(ElfClass.ELF32).machine(ElfInfo.EM_386))));
    assertEquals(
        List.of("/lib/aarch64-linux-gnu/libc.so.6"),
        c.lookup("libc.so.6", elf(ElfFixture.x86_64().machine(ElfInfo.EM_AARCH64))));
    assertEquals(List.of(), c.lookup("libnope.so", elf(ElfFixture.x86_64())));
  }

  @Test
  void parse_badMagic() {
    assertThrows(
        LdSoCacheFormatException.class,
        () -> LdSoCache.parse(ByteBuffer.wrap("hello world, not a cache".getBytes())));
  }

  @Test
  void parse_nlibsHuge() {
    byte[] bytes = sample().newFormat();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0x7fff_ffff);
    LdSoCacheFormatException e =
        assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("nlibs"), e.getMessage());
  }

  @Test
  void parse_oldNlibsHuge() {
    byte[] bytes = sample().oldFormat();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
    assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(bytes)));
  }

  @Test
  void parse_stringOffsetPastEnd() {
    byte[] bytes = sample().newFormat();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(48 + 4, 1 << 20);
    LdSoCacheFormatException e =
        assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("key of entry 0"), e.getMessage());
  }

  @Test
  void parse_unterminatedString() {
    byte[] bytes = sample().newFormat();
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
    assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(cut)));
  }

  @Test
  void parse_truncatedHeader() {
    byte[] bytes = Arrays.copyOf(sample().newFormat(), 30);
    assertThrows(LdSoCacheFormatException.class, () -> LdSoCache.parse(ByteBuffer.wrap(bytes)));
  }

  @Test
  void parse_mutations_onlyFormatExceptions() {
    List<byte[]> seeds =
        List.of(sample().newFormat(), sample().oldFormat(), sample().compatFormat());
    Random random = new Random(42);
    for (int round = 0; round < 5000; round++) {
      byte[] m = seeds.get(round % 3).clone();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
      }
      try {
        LdSoCache.parse(ByteBuffer.wrap(m));
      } catch (LdSoCacheFormatException e) {
        // fine
      } catch (RuntimeException e) {
        fail("round " + round + ": " + e, e);
      }
    }
  }
}
