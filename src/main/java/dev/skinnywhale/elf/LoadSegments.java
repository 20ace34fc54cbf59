package dev.skinnywhale.elf;

import java.util.List;

/**
 * The PT_LOAD segments of a file: how the loader maps the virtual addresses of the dynamic section
 * (DT_STRTAB, DT_SYMTAB, DT_HASH, DT_GNU_HASH) to file offsets.
 */
final class LoadSegments {
  static final long PF_W = 2;

  /** One PT_LOAD (or any program header's file view): where it is in the file and in memory. */
  record Segment(long offset, long vaddr, long filesz, long flags) {
    boolean writable() {
      return (flags & PF_W) != 0;
    }
  }

  /** A virtual address mapped into the file: its offset, and the segment's bytes from there. */
  record Mapped(long offset, long rest) {}

  private final List<Segment> loads;

  LoadSegments(List<Segment> loads) {
    this.loads = List.copyOf(loads);
  }

  List<Segment> all() {
    return loads;
  }

  /**
   * The file offset of {@code vaddr} (the value of dynamic tag {@code tag}) through the PT_LOAD
   * whose file content holds it; {@link Mapped#rest()} is what remains of that content, capped at
   * the end of the file.
   */
  Mapped map(ElfBytes r, long vaddr, String tag) throws ElfFormatException {
    for (Segment load : loads) {
      long delta = vaddr - load.vaddr;
      if (Long.compareUnsigned(vaddr, load.vaddr) < 0
          || Long.compareUnsigned(delta, load.filesz) >= 0) {
        continue;
      }
      // Every value here is an unsigned file quantity; anything beyond the file is out of range.
      if (load.offset < 0 || load.offset > r.size || delta < 0 || delta > r.size - load.offset) {
        throw new ElfFormatException(
            tag
                + ": virtual address 0x"
                + Long.toHexString(vaddr)
                + " maps to a file offset past the end of the file (PT_LOAD p_offset 0x"
                + Long.toHexString(load.offset)
                + ", size "
                + r.size
                + ")");
      }
      long start = load.offset + delta;
      long rest = load.filesz - delta;
      return new Mapped(start, rest < 0 || rest > r.size - start ? r.size - start : rest);
    }
    throw new ElfFormatException(
        tag
            + ": virtual address 0x"
            + Long.toHexString(vaddr)
            + " lies in no PT_LOAD segment's file content");
  }

  /** Maps DT_STRTAB through the PT_LOAD that holds it to a file range of DT_STRSZ bytes. */
  StringTable stringTable(ElfBytes r, long vaddr, Long strsz) throws ElfFormatException {
    Mapped m = map(r, vaddr, "DT_STRTAB");
    long length;
    if (strsz != null) {
      if (strsz < 0 || strsz > r.size) {
        throw new ElfFormatException(
            "DT_STRSZ: "
                + Long.toUnsignedString(strsz)
                + " exceeds the file size "
                + r.size
                + " (string table at offset 0x"
                + Long.toHexString(m.offset())
                + ")");
      }
      length = strsz;
    } else {
      // No DT_STRSZ: the table ends where the segment's file content (or the file) ends.
      length = m.rest();
    }
    r.requireRange(
        m.offset(), length, "string table (DT_STRTAB 0x" + Long.toHexString(vaddr) + ")");
    return new StringTable(m.offset(), m.offset() + length);
  }
}
