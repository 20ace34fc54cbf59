package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * glibc's {@code /etc/ld.so.cache}, as {@code elf/dl-cache.c} reads it.
 *
 * <ul>
 *   <li>New format ("glibc-ld.so.cache1.1", the default since glibc 2.32): a 48-byte header ({@code
 *       nlibs@20 len_strings@24 flags@28 extension_offset@32}), then 24-byte entries ({@code
 *       flags@0 key@4 value@8 osversion@12 hwcap@16}); string offsets are relative to the header's
 *       start.
 *   <li>Old format ("ld.so-1.7.0"): {@code nlibs@12}, 12-byte entries from 16 ({@code flags key
 *       value}); string offsets relative to the end of the entries. When the new format follows at
 *       the next 8-aligned offset (ldconfig's "compat" format, glibc &lt; 2.32), the new one is
 *       used, as the loader does.
 * </ul>
 *
 * Byte order: the new header's flags byte says it (2 little, 3 big); otherwise the order in which
 * {@code nlibs} fits the file is taken, little-endian first.
 *
 * <p>Budgets: at most {@value #MAX_ENTRIES} entries, and each string is decoded once per offset
 * (entries share strings) with at most {@value #MAX_STRING_BYTES} bytes decoded in all; a cache
 * beyond either is an {@link LdSoCacheFormatException} naming the limit.
 */
public final class LdSoCache {
  static final String MAGIC_OLD = "ld.so-1.7.0";
  static final String MAGIC_NEW = "glibc-ld.so.cache1.1";
  static final int OLD_HEADER = 16;
  static final int OLD_ENTRY = 12;
  static final int NEW_HEADER = 48;
  static final int NEW_ENTRY = 24;
  static final int MAX_ENTRIES = 200_000;
  static final int MAX_STRING_BYTES = 16 << 20;

  /** Bit 62 of an entry's hwcap: the entry lives in a glibc-hwcaps subdirectory (glibc 2.33+). */
  public static final long HWCAP_EXTENSION = 1L << 62;

  // glibc sysdeps/generic/ldconfig.h
  static final int FLAG_ELF = 0x0001;
  static final int FLAG_ELF_LIBC6 = 0x0003;
  static final int FLAG_SPARC_LIB64 = 0x0100;
  static final int FLAG_IA64_LIB64 = 0x0200;
  static final int FLAG_X8664_LIB64 = 0x0300;
  static final int FLAG_S390_LIB64 = 0x0400;
  static final int FLAG_POWERPC_LIB64 = 0x0500;
  static final int FLAG_X8664_LIBX32 = 0x0800;
  static final int FLAG_ARM_LIBHF = 0x0900;
  static final int FLAG_AARCH64_LIB64 = 0x0a00;
  static final int FLAG_ARM_LIBSF = 0x0b00;
  static final int FLAG_RISCV_FLOAT_ABI_SOFT = 0x0f00;
  static final int FLAG_RISCV_FLOAT_ABI_DOUBLE = 0x1000;
  static final int FLAG_LARCH_FLOAT_ABI_SOFT = 0x1100;
  static final int FLAG_LARCH_FLOAT_ABI_DOUBLE = 0x1200;

  /** Which layout the file had. */
  public enum Format {
    NEW,
    OLD,
    /** Old format followed by the new one; entries are the new one's. */
    COMPAT
  }

  /**
   * One cache entry.
   *
   * @param name the soname (the key)
   * @param path the library's path (the value)
   * @param flags the type and architecture flags, e.g. 0x303 for x86-64 libc6
   * @param hwcap the hwcap word (0 in the old format)
   */
  public record Entry(String name, String path, int flags, long hwcap) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
    }

    /**
     * Whether this entry is a CPU-specific variant: a glibc-hwcaps subdirectory (the extension bit)
     * or, from ldconfig before glibc 2.37, a legacy hwcap subdirectory (tls/, haswell/, ...). The
     * loader picks one only on a CPU that has the feature, so the plain entry after it is needed
     * too.
     */
    public boolean hwcapsVariant() {
      return hwcap != 0;
    }
  }

  private final Format format;
  private final List<Entry> entries;

  private LdSoCache(Format format, List<Entry> entries) {
    this.format = format;
    this.entries = List.copyOf(entries);
  }

  public Format format() {
    return format;
  }

  /** Every entry in file order (ldconfig sorts them; the loader's binary search relies on it). */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * The paths the cache offers for {@code soname} to an object like {@code requester}, in cache
   * order (ldconfig puts glibc-hwcaps variants before the plain entry of the same name).
   */
  public List<String> lookup(String soname, ElfInfo requester) {
    return lookupEntries(soname, requester).stream().map(Entry::path).toList();
  }

  /** Like {@link #lookup} but the entries themselves. */
  public List<Entry> lookupEntries(String soname, ElfInfo requester) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.name().equals(soname) && flagsMatch(e.flags(), requester)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * glibc's {@code _dl_cache_check_flags} for a loader of {@code requester}'s kind. ARM hard- and
   * soft-float cannot be told apart without e_flags, so both are accepted.
   */
  public static boolean flagsMatch(int flags, ElfInfo requester) {
    boolean wide = requester.elfClass() == dev.skinnywhale.elf.ElfClass.ELF64;
    return switch (requester.machine()) {
      case ElfInfo.EM_X86_64 ->
          flags == ((wide ? FLAG_X8664_LIB64 : FLAG_X8664_LIBX32) | FLAG_ELF_LIBC6);
      case ElfInfo.EM_AARCH64 -> flags == (FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6);
      case ElfInfo.EM_ARM ->
          flags == (FLAG_ARM_LIBHF | FLAG_ELF_LIBC6)
              || flags == (FLAG_ARM_LIBSF | FLAG_ELF_LIBC6)
              || flags == FLAG_ELF_LIBC6;
      case 2, 43 ->
          flags == (wide ? FLAG_SPARC_LIB64 | FLAG_ELF_LIBC6 : FLAG_ELF_LIBC6)
              || (!wide && flags == FLAG_ELF);
      case 50 -> flags == (FLAG_IA64_LIB64 | FLAG_ELF_LIBC6);
      case 21 -> flags == (FLAG_POWERPC_LIB64 | FLAG_ELF_LIBC6);
      case 22 ->
          wide
              ? flags == (FLAG_S390_LIB64 | FLAG_ELF_LIBC6)
              : flags == FLAG_ELF_LIBC6 || flags == FLAG_ELF;
      case 243 ->
          flags == (FLAG_RISCV_FLOAT_ABI_DOUBLE | FLAG_ELF_LIBC6)
              || flags == (FLAG_RISCV_FLOAT_ABI_SOFT | FLAG_ELF_LIBC6);
      case 258 ->
          flags == (FLAG_LARCH_FLOAT_ABI_DOUBLE | FLAG_ELF_LIBC6)
              || flags == (FLAG_LARCH_FLOAT_ABI_SOFT | FLAG_ELF_LIBC6);
      // i386, 32-bit PowerPC, MIPS and the rest: the generic check.
      default -> flags == FLAG_ELF || flags == FLAG_ELF_LIBC6;
    };
  }

  /** Parses a whole cache file (from index 0 to the limit). */
  public static LdSoCache parse(ByteBuffer whole) throws LdSoCacheFormatException {
    ByteBuffer buf = whole.slice(0, whole.limit());
    long size = buf.limit();
    if (startsWith(buf, 0, MAGIC_NEW)) {
      return new LdSoCache(Format.NEW, parseNew(buf, 0));
    }
    if (!startsWith(buf, 0, MAGIC_OLD)) {
      throw new LdSoCacheFormatException(
          "ld.so.cache header at offset 0x0: unknown magic (neither "
              + MAGIC_NEW
              + " nor "
              + MAGIC_OLD
              + ")");
    }
    requireRange(size, 0, OLD_HEADER, "old-format header");
    ByteOrder order = oldOrder(buf, size);
    buf.order(order);
    long nlibs = Integer.toUnsignedLong(buf.getInt(12));
    long entriesEnd = OLD_HEADER + nlibs * OLD_ENTRY;
    requireRange(size, OLD_HEADER, nlibs * OLD_ENTRY, "old-format entries (nlibs " + nlibs + ")");
    long newAt = (entriesEnd + 7) & ~7L;
    if (newAt + NEW_HEADER <= size && startsWith(buf, (int) newAt, MAGIC_NEW)) {
      return new LdSoCache(Format.COMPAT, parseNew(buf, (int) newAt));
    }
    requireCount(nlibs, "old-format");
    Strings strings = new Strings(buf, entriesEnd);
    List<Entry> entries = new ArrayList<>();
    for (long i = 0; i < nlibs; i++) {
      int at = (int) (OLD_HEADER + i * OLD_ENTRY);
      int flags = buf.getInt(at);
      long key = Integer.toUnsignedLong(buf.getInt(at + 4));
      long value = Integer.toUnsignedLong(buf.getInt(at + 8));
      entries.add(
          new Entry(
              strings.get(key, "key of old-format entry " + i),
              strings.get(value, "value of old-format entry " + i),
              flags,
              0));
    }
    return new LdSoCache(Format.OLD, entries);
  }

  private static ByteOrder oldOrder(ByteBuffer buf, long size) {
    long le = Integer.toUnsignedLong(buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(12));
    long room = (size - OLD_HEADER) / OLD_ENTRY;
    return le <= room ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  private static List<Entry> parseNew(ByteBuffer buf, int base) throws LdSoCacheFormatException {
    long size = buf.limit();
    requireRange(size, base, NEW_HEADER, "new-format header");
    int endianFlag = Byte.toUnsignedInt(buf.get(base + 28)) & 3;
    ByteOrder order;
    if (endianFlag == 2) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (endianFlag == 3) {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      long le =
          Integer.toUnsignedLong(buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(base + 20));
      order =
          le <= (size - base - NEW_HEADER) / NEW_ENTRY
              ? ByteOrder.LITTLE_ENDIAN
              : ByteOrder.BIG_ENDIAN;
    }
    buf.order(order);
    long nlibs = Integer.toUnsignedLong(buf.getInt(base + 20));
    requireRange(
        size, base + NEW_HEADER, nlibs * NEW_ENTRY, "new-format entries (nlibs " + nlibs + ")");
    requireCount(nlibs, "new-format");
    Strings strings = new Strings(buf, base);
    List<Entry> entries = new ArrayList<>();
    for (long i = 0; i < nlibs; i++) {
      int at = (int) (base + NEW_HEADER + i * NEW_ENTRY);
      int flags = buf.getInt(at);
      long key = Integer.toUnsignedLong(buf.getInt(at + 4));
      long value = Integer.toUnsignedLong(buf.getInt(at + 8));
      long hwcap = buf.getLong(at + 16);
      entries.add(
          new Entry(
              strings.get(key, "key of entry " + i),
              strings.get(value, "value of entry " + i),
              flags,
              hwcap));
    }
    return entries;
  }

  private static void requireCount(long nlibs, String what) throws LdSoCacheFormatException {
    if (nlibs > MAX_ENTRIES) {
      throw new LdSoCacheFormatException(
          what + " header: " + nlibs + " entries, more than the limit of " + MAX_ENTRIES);
    }
  }

  /**
   * The strings of one table, each decoded once per offset, all of them within {@link
   * #MAX_STRING_BYTES}.
   */
  private static final class Strings {
    private final ByteBuffer buf;
    private final long tableStart;
    private final long size;
    private final Map<Long, String> byOffset = new HashMap<>();
    private long decoded;

    Strings(ByteBuffer buf, long tableStart) {
      this.buf = buf;
      this.tableStart = tableStart;
      this.size = buf.limit();
    }

    /** The NUL-terminated string at {@code tableStart + offset}; its NUL must lie in the file. */
    String get(long offset, String what) throws LdSoCacheFormatException {
      String known = byOffset.get(offset);
      if (known != null) {
        return known;
      }
      long start = tableStart + offset;
      if (start >= size) {
        throw new LdSoCacheFormatException(
            what
                + ": string offset 0x"
                + Long.toHexString(offset)
                + " (file offset 0x"
                + Long.toHexString(start)
                + ") past the end of the file (size "
                + size
                + ")");
      }
      long budgetEnd = Math.min(size, start + (MAX_STRING_BYTES - decoded) + 1);
      for (long i = start; i < budgetEnd; i++) {
        if (buf.get((int) i) == 0) {
          byte[] bytes = new byte[(int) (i - start)];
          buf.get((int) start, bytes);
          decoded += bytes.length;
          String s = new String(bytes, StandardCharsets.ISO_8859_1);
          byOffset.put(offset, s);
          return s;
        }
      }
      if (budgetEnd < size) {
        throw new LdSoCacheFormatException(
            what
                + ": string at file offset 0x"
                + Long.toHexString(start)
                + " takes the strings read past the limit of "
                + MAX_STRING_BYTES
                + " bytes");
      }
      throw new LdSoCacheFormatException(
          what + ": string at file offset 0x" + Long.toHexString(start) + " is not NUL-terminated");
    }
  }

  private static void requireRange(long size, long offset, long length, String what)
      throws LdSoCacheFormatException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new LdSoCacheFormatException(
          what
              + " at offset 0x"
              + Long.toHexString(offset)
              + " (length "
              + length
              + "): past the end of the file (size "
              + size
              + ")");
    }
  }

  private static boolean startsWith(ByteBuffer buf, int at, String magic) {
    if (at < 0 || (long) at + magic.length() > buf.limit()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (buf.get(at + i) != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
