package dev.skinnywhale.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an ELF file the way the dynamic loader does: the ELF header, the program headers (PT_LOAD,
 * PT_DYNAMIC, PT_INTERP) and the dynamic section, never the section headers (except section 0 when
 * {@code e_phnum} is PN_XNUM).
 *
 * <p>Every read is absolute and bounds-checked; unsigned fields are widened explicitly; every count
 * is checked against the file size before it drives a loop; strings are searched for their NUL
 * inside the string table and decoded as ISO-8859-1. Anything out of place is an {@link
 * ElfFormatException} naming the offset and the structure, never another exception.
 */
public final class ElfReader {
  static final int PT_LOAD = 1;
  static final int PT_DYNAMIC = 2;
  static final int PT_INTERP = 3;
  static final long DT_NULL = 0;
  static final long DT_NEEDED = 1;
  static final long DT_STRTAB = 5;
  static final long DT_STRSZ = 10;
  static final long DT_SONAME = 14;
  static final long DT_RPATH = 15;
  static final long DT_RUNPATH = 29;
  static final long DT_FLAGS_1 = 0x6ffffffbL;
  private static final int PN_XNUM = 0xFFFF;

  /**
   * Whether the buffer starts with {@code \x7fELF} (its position is ignored; reads are absolute).
   */
  public static boolean hasElfMagic(ByteBuffer buf) {
    return buf.limit() >= 4
        && buf.get(0) == 0x7f
        && buf.get(1) == 'E'
        && buf.get(2) == 'L'
        && buf.get(3) == 'F';
  }

  /** Parses a whole ELF file, from index 0 to the buffer's limit. The buffer is not modified. */
  public ElfInfo read(ByteBuffer whole) throws ElfFormatException {
    ByteBuffer buf = whole.slice(0, whole.limit());
    long size = buf.limit();
    if (size < 16) {
      throw new ElfFormatException(
          "ELF ident at offset 0x0: truncated (file is " + size + " bytes)");
    }
    if (!hasElfMagic(buf)) {
      throw new ElfFormatException("ELF ident at offset 0x0: not an ELF file (no \\x7fELF magic)");
    }
    int cls = Byte.toUnsignedInt(buf.get(4));
    ElfClass elfClass =
        switch (cls) {
          case 1 -> ElfClass.ELF32;
          case 2 -> ElfClass.ELF64;
          default ->
              throw new ElfFormatException("ELF ident at offset 0x4: invalid EI_CLASS " + cls);
        };
    int data = Byte.toUnsignedInt(buf.get(5));
    ByteOrder order =
        switch (data) {
          case 1 -> ByteOrder.LITTLE_ENDIAN;
          case 2 -> ByteOrder.BIG_ENDIAN;
          default ->
              throw new ElfFormatException("ELF ident at offset 0x5: invalid EI_DATA " + data);
        };
    buf.order(order);
    Reader r = new Reader(buf, elfClass == ElfClass.ELF64);
    int osAbi = Byte.toUnsignedInt(buf.get(7));
    int ehSize = r.wide ? 64 : 52;
    if (size < ehSize) {
      throw new ElfFormatException(
          "ELF header at offset 0x0: truncated (" + size + " of " + ehSize + " bytes)");
    }
    int type = r.u16(16, "e_type");
    int machine = r.u16(18, "e_machine");
    long phoff = r.wide ? r.u64(0x20, "e_phoff") : r.u32(0x1C, "e_phoff");
    int phentsize = r.u16(r.wide ? 0x36 : 0x2A, "e_phentsize");
    long phnum = r.u16(r.wide ? 0x38 : 0x2C, "e_phnum");
    if (phnum == PN_XNUM) {
      phnum = extendedPhnum(r);
    }
    int phMin = r.wide ? 56 : 32;
    if (phnum > 0 && phentsize < phMin) {
      throw new ElfFormatException(
          "ELF header at offset 0x"
              + Integer.toHexString(r.wide ? 0x36 : 0x2A)
              + ": e_phentsize "
              + phentsize
              + " smaller than a program header ("
              + phMin
              + ")");
    }
    r.requireRange(phoff, phnum * phentsize, "program header table (e_phnum " + phnum + ")");

    List<Segment> loads = new ArrayList<>();
    Segment dynamic = null;
    Segment interp = null;
    for (long i = 0; i < phnum; i++) {
      long at = phoff + i * phentsize;
      long pType = r.u32(at, "p_type of program header " + i);
      Segment seg =
          r.wide
              ? new Segment(
                  r.u64(at + 8, "p_offset"), r.u64(at + 16, "p_vaddr"), r.u64(at + 32, "p_filesz"))
              : new Segment(
                  r.u32(at + 4, "p_offset"), r.u32(at + 8, "p_vaddr"), r.u32(at + 16, "p_filesz"));
      if (pType == PT_LOAD) {
        loads.add(seg);
      } else if (pType == PT_DYNAMIC && dynamic == null) {
        dynamic = seg;
      } else if (pType == PT_INTERP && interp == null) {
        interp = seg;
      }
    }

    Optional<String> interpreter = Optional.empty();
    if (interp != null) {
      r.requireRange(interp.offset, interp.filesz, "PT_INTERP segment");
      interpreter =
          Optional.of(r.cString(interp.offset, interp.offset + interp.filesz, "PT_INTERP"));
    }
    if (dynamic == null) {
      return new ElfInfo(
          elfClass,
          order,
          machine,
          type,
          osAbi,
          interpreter,
          List.of(),
          Optional.empty(),
          List.of(),
          List.of(),
          0,
          false);
    }
    return readDynamic(r, elfClass, order, machine, type, osAbi, interpreter, loads, dynamic);
  }

  private static long extendedPhnum(Reader r) throws ElfFormatException {
    long shoff = r.wide ? r.u64(0x28, "e_shoff") : r.u32(0x20, "e_shoff");
    int shentsize = r.u16(r.wide ? 0x3A : 0x2E, "e_shentsize");
    int shMin = r.wide ? 64 : 40;
    if (shoff == 0 || shentsize < shMin) {
      throw new ElfFormatException(
          "ELF header at offset 0x0: e_phnum is PN_XNUM but there is no usable section 0"
              + " (e_shoff 0x"
              + Long.toHexString(shoff)
              + ", e_shentsize "
              + shentsize
              + ")");
    }
    r.requireRange(shoff, shMin, "section header 0 (PN_XNUM)");
    return r.u32(shoff + (r.wide ? 0x2C : 0x1C), "sh_info of section 0 (PN_XNUM)");
  }

  private static ElfInfo readDynamic(
      Reader r,
      ElfClass elfClass,
      ByteOrder order,
      int machine,
      int type,
      int osAbi,
      Optional<String> interpreter,
      List<Segment> loads,
      Segment dynamic)
      throws ElfFormatException {
    r.requireRange(dynamic.offset, dynamic.filesz, "PT_DYNAMIC segment");
    int entSize = r.wide ? 16 : 8;
    long count = dynamic.filesz / entSize;
    List<Long> neededOffsets = new ArrayList<>();
    Long soname = null;
    Long rpath = null;
    Long runpath = null;
    Long strtab = null;
    Long strsz = null;
    long flags1 = 0;
    for (long i = 0; i < count; i++) {
      long at = dynamic.offset + i * entSize;
      long tag = r.wide ? r.s64(at, "d_tag") : r.s32(at, "d_tag");
      long val = r.wide ? r.u64(at + 8, "d_val") : r.u32(at + 4, "d_val");
      if (tag == DT_NULL) {
        break;
      }
      if (tag == DT_NEEDED) {
        neededOffsets.add(val);
      } else if (tag == DT_SONAME) {
        soname = val;
      } else if (tag == DT_RPATH) {
        rpath = val;
      } else if (tag == DT_RUNPATH) {
        runpath = val;
      } else if (tag == DT_STRTAB) {
        strtab = val;
      } else if (tag == DT_STRSZ) {
        strsz = val;
      } else if (tag == DT_FLAGS_1) {
        flags1 = val;
      }
    }
    List<String> needed = new ArrayList<>();
    Optional<String> sonameStr = Optional.empty();
    List<String> rpathList = List.of();
    List<String> runpathList = List.of();
    boolean anyString =
        !neededOffsets.isEmpty() || soname != null || rpath != null || runpath != null;
    if (anyString) {
      if (strtab == null) {
        throw new ElfFormatException(
            "dynamic section at offset 0x"
                + Long.toHexString(dynamic.offset)
                + ": string tags without DT_STRTAB");
      }
      StringTable table = stringTable(r, loads, strtab, strsz);
      for (long off : neededOffsets) {
        needed.add(table.get(r, off, "DT_NEEDED"));
      }
      if (soname != null) {
        sonameStr = Optional.of(table.get(r, soname, "DT_SONAME"));
      }
      if (rpath != null) {
        rpathList = split(table.get(r, rpath, "DT_RPATH"));
      }
      if (runpath != null) {
        runpathList = split(table.get(r, runpath, "DT_RUNPATH"));
      }
    }
    return new ElfInfo(
        elfClass,
        order,
        machine,
        type,
        osAbi,
        interpreter,
        needed,
        sonameStr,
        rpathList,
        runpathList,
        flags1,
        true);
  }

  private static List<String> split(String raw) {
    return List.of(raw.split(":", -1));
  }

  /** Maps DT_STRTAB (a virtual address) through the PT_LOAD that holds it to a file range. */
  private static StringTable stringTable(Reader r, List<Segment> loads, long vaddr, Long strsz)
      throws ElfFormatException {
    for (Segment load : loads) {
      long delta = vaddr - load.vaddr;
      if (Long.compareUnsigned(vaddr, load.vaddr) < 0
          || Long.compareUnsigned(delta, load.filesz) >= 0) {
        continue;
      }
      // Every value here is an unsigned file quantity; anything beyond the file is out of range.
      if (load.offset < 0 || load.offset > r.size || delta < 0 || delta > r.size - load.offset) {
        throw new ElfFormatException(
            "DT_STRTAB: virtual address 0x"
                + Long.toHexString(vaddr)
                + " maps to a file offset past the end of the file (PT_LOAD p_offset 0x"
                + Long.toHexString(load.offset)
                + ", size "
                + r.size
                + ")");
      }
      long start = load.offset + delta;
      long length;
      if (strsz != null) {
        if (strsz < 0 || strsz > r.size) {
          throw new ElfFormatException(
              "DT_STRSZ: "
                  + Long.toUnsignedString(strsz)
                  + " exceeds the file size "
                  + r.size
                  + " (string table at offset 0x"
                  + Long.toHexString(start)
                  + ")");
        }
        length = strsz;
      } else {
        // No DT_STRSZ: the table ends where the segment's file content (or the file) ends.
        long rest = load.filesz - delta;
        length = rest < 0 || rest > r.size - start ? r.size - start : rest;
      }
      r.requireRange(start, length, "string table (DT_STRTAB 0x" + Long.toHexString(vaddr) + ")");
      return new StringTable(start, start + length);
    }
    throw new ElfFormatException(
        "DT_STRTAB: virtual address 0x"
            + Long.toHexString(vaddr)
            + " lies in no PT_LOAD segment's file content");
  }

  private record Segment(long offset, long vaddr, long filesz) {}

  private record StringTable(long start, long end) {
    String get(Reader r, long index, String what) throws ElfFormatException {
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

  /** Absolute, bounds-checked reads of unsigned fields. */
  private static final class Reader {
    final ByteBuffer buf;
    final boolean wide;
    final long size;

    Reader(ByteBuffer buf, boolean wide) {
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
}
