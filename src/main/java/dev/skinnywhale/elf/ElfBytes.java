package dev.skinnywhale.elf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Absolute, bounds-checked reads of an ELF file's unsigned fields, in the file's byte order. Every
 * read names the structure it reads, and anything past the end of the file is an {@link
 * ElfFormatException} with the offset.
 */
final class ElfBytes {
  final ByteBuffer buf;
  final boolean wide;
  final long size;

  ElfBytes(ByteBuffer buf, boolean wide) {
    this.buf = buf;
    this.wide = wide;
    this.size = buf.limit();
  }

  /** Fails unless [offset, offset + length) lies inside the file (both taken as unsigned). */
  void requireRange(long offset, long length, String what) throws ElfFormatException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new ElfFormatException(
          what
              + " at offset 0x"
              + Long.toHexString(offset)
              + " (length "
              + Long.toUnsignedString(length)
              + "): past the end of the file (size "
              + size
              + ")");
    }
  }

  private int at(long offset, int length, String what) throws ElfFormatException {
    requireRange(offset, length, what);
    return (int) offset;
  }

  int u8(long offset, String what) throws ElfFormatException {
    return Byte.toUnsignedInt(buf.get(at(offset, 1, what)));
  }

  int u16(long offset, String what) throws ElfFormatException {
    return Short.toUnsignedInt(buf.getShort(at(offset, 2, what)));
  }

  long u32(long offset, String what) throws ElfFormatException {
    return Integer.toUnsignedLong(buf.getInt(at(offset, 4, what)));
  }

  long s32(long offset, String what) throws ElfFormatException {
    return buf.getInt(at(offset, 4, what));
  }

  /** A 64-bit field as a raw long: values above Long.MAX_VALUE come out negative. */
  long u64(long offset, String what) throws ElfFormatException {
    return buf.getLong(at(offset, 8, what));
  }

  long s64(long offset, String what) throws ElfFormatException {
    return buf.getLong(at(offset, 8, what));
  }

  /** An address-sized field: 8 bytes in ELF64, 4 in ELF32. */
  long word(long offset, String what) throws ElfFormatException {
    return wide ? u64(offset, what) : u32(offset, what);
  }

  /** The NUL-terminated string at {@code start}, whose NUL must lie before {@code end}. */
  String cString(long start, long end, String what) throws ElfFormatException {
    requireRange(start, end - start, what);
    for (long i = start; i < end; i++) {
      if (buf.get((int) i) == 0) {
        byte[] bytes = new byte[(int) (i - start)];
        buf.get((int) start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
    }
    throw new ElfFormatException(
        what
            + ": string at offset 0x"
            + Long.toHexString(start)
            + " is not NUL-terminated before offset 0x"
            + Long.toHexString(end));
  }
}
