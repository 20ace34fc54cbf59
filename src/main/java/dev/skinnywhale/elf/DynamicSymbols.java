package dev.skinnywhale.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dynamic symbol table the way the loader finds it: {@code DT_SYMTAB} mapped through
 * PT_LOAD, its length taken from {@code DT_GNU_HASH} (the index after the last chain's end) or
 * {@code DT_HASH} ({@code nchain}); with neither, from the distance to {@code DT_STRTAB}, which
 * linkers place right after it. Names come from the dynamic string table.
 *
 * <p>Every count is checked against the file before a loop uses it, and the table holds at most
 * {@value #MAX_SYMBOLS} entries; a table that runs past the file is an {@link ElfFormatException}
 * naming the structure and its offset. Hash tables with 8-byte entries (s390x, Alpha) are not read.
 */
final class DynamicSymbols {
  static final long DT_HASH = 4;
  static final long DT_SYMTAB = 6;
  static final long DT_SYMENT = 11;
  static final long DT_GNU_HASH = 0x6ffffef5L;
  static final int MAX_SYMBOLS = 1 << 20;

  private DynamicSymbols() {}

  /** Where the dynamic section puts the table; absent tags are null. */
  record Tags(Long symtab, Long syment, Long hash, Long gnuHash, Long strtab) {}

  /**
   * The table's entries in index order; with {@code importsOnly}, only the imported ones (the names
   * of defined symbols are then not decoded).
   */
  static List<DynamicSymbol> read(
      ElfBytes r, LoadSegments loads, Tags tags, StringTable strings, boolean importsOnly)
      throws ElfFormatException {
    if (tags.symtab() == null) {
      return List.of();
    }
    int minEnt = r.wide ? 24 : 16;
    long entSize = tags.syment() == null ? minEnt : tags.syment();
    if (entSize < minEnt || entSize > 1024) {
      throw new ElfFormatException(
          "DT_SYMENT: " + Long.toUnsignedString(entSize) + " is not a symbol entry size");
    }
    LoadSegments.Mapped table = loads.map(r, tags.symtab(), "DT_SYMTAB");
    long count = count(r, loads, tags, entSize);
    if (count > MAX_SYMBOLS) {
      throw new ElfFormatException(
          "dynamic symbol table at offset 0x"
              + Long.toHexString(table.offset())
              + ": "
              + count
              + " entries, more than the limit of "
              + MAX_SYMBOLS);
    }
    r.requireRange(
        table.offset(),
        count * entSize,
        "dynamic symbol table (" + count + " entries of " + entSize + " bytes)");
    List<DynamicSymbol> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long at = table.offset() + i * entSize;
      long nameIndex = r.u32(at, "st_name");
      int info;
      int other;
      int shndx;
      long value;
      long size;
      if (r.wide) {
        info = r.u8(at + 4, "st_info");
        other = r.u8(at + 5, "st_other");
        shndx = r.u16(at + 6, "st_shndx");
        value = r.u64(at + 8, "st_value");
        size = r.u64(at + 16, "st_size");
      } else {
        value = r.u32(at + 4, "st_value");
        size = r.u32(at + 8, "st_size");
        info = r.u8(at + 12, "st_info");
        other = r.u8(at + 13, "st_other");
        shndx = r.u16(at + 14, "st_shndx");
      }
      if (importsOnly && shndx != DynamicSymbol.SHN_UNDEF) {
        continue;
      }
      String name = nameIndex == 0 ? "" : strings.get(r, nameIndex, "name of dynamic symbol " + i);
      DynamicSymbol s =
          new DynamicSymbol(i, name, value, size, info & 0xF, info >>> 4, other & 3, shndx);
      if (!importsOnly || s.imported()) {
        out.add(s);
      }
    }
    return out;
  }

  private static long count(ElfBytes r, LoadSegments loads, Tags tags, long entSize)
      throws ElfFormatException {
    if (tags.gnuHash() != null) {
      return gnuHashCount(r, loads.map(r, tags.gnuHash(), "DT_GNU_HASH").offset());
    }
    if (tags.hash() != null) {
      long at = loads.map(r, tags.hash(), "DT_HASH").offset();
      r.requireRange(at, 8, "SysV hash header");
      long nbucket = r.u32(at, "SysV hash nbucket");
      long nchain = r.u32(at + 4, "SysV hash nchain");
      r.requireRange(
          at + 8,
          (nbucket + nchain) * 4,
          "SysV hash table (nbucket " + nbucket + ", nchain " + nchain + ")");
      return nchain;
    }
    if (tags.strtab() != null && Long.compareUnsigned(tags.strtab(), tags.symtab()) > 0) {
      long gap = tags.strtab() - tags.symtab();
      return gap < 0 ? MAX_SYMBOLS + 1L : gap / entSize;
    }
    return 0;
  }

  /** One past the highest symbol index any GNU hash chain reaches. */
  private static long gnuHashCount(ElfBytes r, long at) throws ElfFormatException {
    r.requireRange(at, 16, "GNU hash header");
    long nbuckets = r.u32(at, "GNU hash nbuckets");
    long symoffset = r.u32(at + 4, "GNU hash symoffset");
    long bloomSize = r.u32(at + 8, "GNU hash bloom_size");
    long wordSize = r.wide ? 8 : 4;
    r.requireRange(at + 16, bloomSize * wordSize, "GNU hash bloom filter (" + bloomSize + ")");
    long buckets = at + 16 + bloomSize * wordSize;
    r.requireRange(buckets, nbuckets * 4, "GNU hash buckets (" + nbuckets + ")");
    long max = 0;
    for (long i = 0; i < nbuckets; i++) {
      max = Math.max(max, r.u32(buckets + 4 * i, "GNU hash bucket"));
    }
    if (max == 0) {
      return symoffset; // no hashed symbols: only the unhashed ones below symoffset
    }
    if (max < symoffset) {
      throw new ElfFormatException(
          "GNU hash at offset 0x"
              + Long.toHexString(at)
              + ": a bucket names symbol "
              + max
              + ", below symoffset "
              + symoffset);
    }
    long chains = buckets + nbuckets * 4;
    for (long i = max; ; i++) {
      if (i - max > MAX_SYMBOLS) {
        throw new ElfFormatException(
            "GNU hash chain at offset 0x"
                + Long.toHexString(chains)
                + ": longer than the limit of "
                + MAX_SYMBOLS
                + " symbols");
      }
      long entry = r.u32(chains + (i - symoffset) * 4, "GNU hash chain entry of symbol " + i);
      if ((entry & 1) != 0) {
        return i + 1;
      }
    }
  }
}
