package dev.skinnywhale.elf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Flips bytes of valid fixtures: the reader either succeeds or throws ElfFormatException. */
class ElfReaderMutationTest {
  private static final long SEED = 0x5EED_2026L;

  @Test
  void read_mutatedFixtures_onlyFormatExceptions() {
    List<byte[]> seeds =
        List.of(
            fixture(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN),
            fixture(ElfClass.ELF64, ByteOrder.BIG_ENDIAN),
            fixture(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN),
            fixture(ElfClass.ELF32, ByteOrder.BIG_ENDIAN));
    Random random = new Random(SEED);
    ElfReader reader = new ElfReader();
    int ok = 0;
    int rejected = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] base = seeds.get(round % seeds.size());
      byte[] mutated = Arrays.copyOf(base, base.length);
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        int at = random.nextInt(mutated.length);
        mutated[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : mutated[at] ^ 0x80);
      }
      if (random.nextInt(10) == 0) {
        mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
      }
      try {
        reader.read(ByteBuffer.wrap(mutated));
        ok++;
      } catch (ElfFormatException e) {
        rejected++;
      } catch (RuntimeException e) {
        fail("round " + round + " (seed " + SEED + "): " + e, e);
      }
    }
    assertTrue(ok > 0 && rejected > 0, "ok=" + ok + " rejected=" + rejected);
  }

  private static byte[] fixture(ElfClass cls, ByteOrder order) {
    return ElfFixture.x86_64()
        .elfClass(cls)
        .order(order)
        .interpreter("/lib64/ld-linux-x86-64.so.2")
        .needed("libc.so.6", "libm.so.6")
        .soname("libx.so.1")
        .rpath("$ORIGIN")
        .runpath("/opt/lib")
        .flags1(ElfInfo.DF_1_NODEFLIB)
        .bytes();
  }
}
