package dev.skinnywhale.elf;

/**
 * The dynamic string table as a file range; every index is checked against it. All the strings read
 * from one table decode at most {@value #MIN_BUDGET} bytes plus twice the table's size (each name
 * once, with room for names sharing a tail): a file whose entries name one long string over and
 * over is an {@link ElfFormatException} naming the limit, not a heap of copies.
 */
final class StringTable {
  static final long MIN_BUDGET = 16 << 20;

  private final long start;
  private final long end;
  private final long budget;
  private long decoded;

  StringTable(long start, long end) {
    this.start = start;
    this.end = end;
    this.budget = MIN_BUDGET + 2 * Math.max(0, end - start);
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

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
    long limit = Math.min(end, start + index + (budget - decoded) + 1);
    String s;
    try {
      s = r.cString(start + index, limit, what);
    } catch (ElfFormatException e) {
      if (limit < end) {
        throw new ElfFormatException(
            what
                + ": the strings read from the string table at offset 0x"
                + Long.toHexString(start)
                + " pass the limit of "
                + budget
                + " bytes");
      }
      throw e;
    }
    decoded += s.length();
    return s;
  }
}
