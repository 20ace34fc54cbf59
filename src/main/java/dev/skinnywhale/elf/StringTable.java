package dev.skinnywhale.elf;

/** The dynamic string table as a file range; every index is checked against it. */
record StringTable(long start, long end) {
  String get(ElfBytes r, long index, String what) throws ElfFormatException {
    if (index < 0 || index >= end - start) {
      throw new ElfFormatException(
          what
              + ": string index 0x"
              + Long.toHexString(index)
              + " outside the string table at offset 0x"
              + Long.toHexString(start)
              + " (size "
              + (end - start)
              + ")");
    }
    return r.cString(start + index, end, what);
  }
}
