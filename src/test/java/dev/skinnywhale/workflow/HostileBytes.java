package dev.skinnywhale.workflow;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hostile binary files crafted byte by byte, well-formed enough that a reader takes them seriously:
 * an ELF whose dynamic section names libraries very many times, and a degenerate ld.so.cache whose
 * entries all point at one long string.
 */
final class HostileBytes {
  static final long BASE = 0x400000;
  static final String GLIBC_LOADER = "/lib64/ld-linux-x86-64.so.2";
  private static final int EHSIZE = 64;
  private static final int PHENT = 56;
  private static final int DT_NEEDED = 1;
  private static final int DT_STRTAB = 5;
  private static final int DT_STRSZ = 10;
  private static final int DT_RUNPATH = 29;

  private HostileBytes() {}

  /**
   * An x86-64 little-endian executable with PT_INTERP {@code interp}, and {@code entries} DT_NEEDED
   * entries naming {@code names} in turn (each name stored once in the string table).
   */
  static byte[] elf(String interp, Optional<String> runpath, List<String> names, int entries) {
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    Map<String, Integer> offsets = new HashMap<>();
    for (String n : names) {
      offsets.computeIfAbsent(n, k -> add(strtab, k));
    }
    int runpathAt = runpath.map(r -> add(strtab, r)).orElse(0);
    byte[] strings = strtab.toByteArray();
    byte[] interpBytes = (interp + "\0").getBytes(StandardCharsets.ISO_8859_1);
    int phnum = 3;
    int interpOff = EHSIZE + phnum * PHENT;
    int strOff = interpOff + interpBytes.length;
    int dynOff = align(strOff + strings.length, 8);
    int dynCount = entries + 2 + (runpath.isPresent() ? 1 : 0) + 1;
    long size = (long) dynOff + 16L * dynCount;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too big: " + size);
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 2); // ET_EXEC
    b.putShort(18, (short) 62); // EM_X86_64
    b.putInt(20, 1);
    b.putLong(24, BASE);
    b.putLong(32, EHSIZE);
    b.putShort(52, (short) EHSIZE);
    b.putShort(54, (short) PHENT);
    b.putShort(56, (short) phnum);
    b.putShort(58, (short) 64);
    phdr(b, EHSIZE, 3, interpOff, interpBytes.length);
    phdr(b, EHSIZE + PHENT, 1, 0, size);
    phdr(b, EHSIZE + 2 * PHENT, 2, dynOff, 16L * dynCount);
    b.put(interpOff, interpBytes);
    b.put(strOff, strings);
    int at = dynOff;
    at = dyn(b, at, DT_STRTAB, BASE + strOff);
    at = dyn(b, at, DT_STRSZ, strings.length);
    if (runpath.isPresent()) {
      at = dyn(b, at, DT_RUNPATH, runpathAt);
    }
    for (int i = 0; i < entries; i++) {
      at = dyn(b, at, DT_NEEDED, offsets.get(names.get(i % names.size())));
    }
    dyn(b, at, 0, 0); // DT_NULL
    return b.array();
  }

  /**
   * A new-format ("glibc-ld.so.cache1.1") x86-64 cache of {@code entries} entries whose key and
   * value all point at one string of {@code stringLength} bytes.
   */
  static byte[] degenerateLdSoCache(int entries, int stringLength) {
    int header = 48;
    int strings = header + 24 * entries;
    ByteBuffer b = ByteBuffer.allocate(strings + stringLength + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, "glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
    b.putInt(20, entries);
    b.putInt(24, stringLength + 1);
    b.put(28, (byte) 2); // little-endian
    for (int i = 0; i < entries; i++) {
      int e = header + 24 * i;
      b.putInt(e, 0x303);
      b.putInt(e + 4, strings);
      b.putInt(e + 8, strings);
    }
    for (int i = 0; i < stringLength; i++) {
      b.put(strings + i, (byte) ('a' + i % 26));
    }
    return b.array();
  }

  private static void phdr(ByteBuffer b, int at, int type, long offset, long size) {
    b.putInt(at, type);
    b.putInt(at + 4, 4); // PF_R
    b.putLong(at + 8, offset);
    b.putLong(at + 16, BASE + offset);
    b.putLong(at + 24, BASE + offset);
    b.putLong(at + 32, size);
    b.putLong(at + 40, size);
    b.putLong(at + 48, type == 1 ? 0x1000 : 1);
  }

  private static int dyn(ByteBuffer b, int at, long tag, long value) {
    b.putLong(at, tag);
    b.putLong(at + 8, value);
    return at + 16;
  }

  private static int add(ByteArrayOutputStream table, String s) {
    int at = table.size();
    table.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    table.write(0);
    return at;
  }

  private static int align(int v, int a) {
    return (v + a - 1) / a * a;
  }
}
