package dev.skinnywhale.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** ELF files an image controls that once cost unbounded memory, generated in code. */
public final class HostileElf {
  private HostileElf() {}

  /**
   * A 64-bit x86-64 shared object with {@code count} DT_NEEDED entries. With {@code distinct} false
   * they all name one string; with it true, entry i names the suffix at i of one string of {@code
   * count} bytes (so each is decoded apart).
   */
  public static byte[] manyNeeded(int count, boolean distinct) {
    long base = 0x400000;
    int phoff = 64;
    int dynAt = phoff + 2 * 56;
    int dynSize = (count + 3) * 16;
    int strAt = dynAt + dynSize;
    byte[] strings;
    if (distinct) {
      strings = new byte[count + 2];
      for (int i = 1; i <= count; i++) {
        strings[i] = 'l';
      }
    } else {
      strings = "\0libhostile.so.1\0".getBytes(StandardCharsets.ISO_8859_1);
    }
    int size = strAt + strings.length;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 3).putShort(18, (short) 62).putInt(20, 1);
    b.putLong(0x20, phoff).putShort(0x34, (short) 64).putShort(0x36, (short) 56);
    b.putShort(0x38, (short) 2);
    // PT_LOAD of the whole file, then PT_DYNAMIC.
    b.putInt(phoff, 1).putInt(phoff + 4, 4).putLong(phoff + 8, 0).putLong(phoff + 16, base);
    b.putLong(phoff + 32, size).putLong(phoff + 40, size);
    int dyn = phoff + 56;
    b.putInt(dyn, 2).putInt(dyn + 4, 6).putLong(dyn + 8, dynAt).putLong(dyn + 16, base + dynAt);
    b.putLong(dyn + 32, dynSize).putLong(dyn + 40, dynSize);
    for (int i = 0; i < count; i++) {
      b.putLong(dynAt + i * 16, 1).putLong(dynAt + i * 16 + 8, distinct ? i + 1 : 1);
    }
    int tail = dynAt + count * 16;
    b.putLong(tail, 5).putLong(tail + 8, base + strAt);
    b.putLong(tail + 16, 10).putLong(tail + 24, strings.length);
    b.put(strAt, strings);
    return b.array();
  }
}
