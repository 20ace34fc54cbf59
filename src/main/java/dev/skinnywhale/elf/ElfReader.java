package dev.skinnywhale.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an ELF file the way the dynamic loader does: the ELF header, the program headers (PT_LOAD,
 * PT_DYNAMIC, PT_INTERP), the dynamic section and the dynamic symbol table it points to ({@link
 * DynamicSymbols}), never the section headers (except section 0 when {@code e_phnum} is PN_XNUM).
 *
 * <p>Every read is absolute and bounds-checked; unsigned fields are widened explicitly; every count
 * is checked against the file size before it drives a loop; strings are searched for their NUL
 * inside the string table and decoded as ISO-8859-1. Anything out of place is an {@link
 * ElfFormatException} naming the offset and the structure, never another exception.
 *
 * <p>Budgets: at most {@value #MAX_NEEDED} DT_NEEDED entries, at most {@link
 * DynamicSymbols#MAX_SYMBOLS} dynamic symbols, and the strings decoded from the dynamic string
 * table bounded by its size ({@link StringTable}); beyond any, the file is an {@link
 * ElfFormatException} naming the limit.
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

  /** The most DT_NEEDED entries one object may have (real ones have a few dozen). */
  public static final int MAX_NEEDED = 4096;

  private static final Set<String> DLOPEN = Set.of("dlopen", "dlmopen");

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

  /**
   * Parses a whole ELF file, from index 0 to the buffer's limit. The buffer is not modified. The
   * dynamic symbol table is read for the imported names; the read-only data is searched for
   * library-name literals only when the object imports {@code dlopen}.
   */
  public ElfInfo read(ByteBuffer whole) throws ElfFormatException {
    return parse(whole, false).info();
  }

  /** Every entry of the dynamic symbol table, in index order; empty without one. */
  public List<DynamicSymbol> dynamicSymbols(ByteBuffer whole) throws ElfFormatException {
    return parse(whole, true).symbols();
  }

  /** The fields of the ELF header the info carries. */
  private record Header(ElfClass elfClass, ByteOrder order, int machine, int type, int osAbi) {}

  private record Parsed(ElfInfo info, List<DynamicSymbol> symbols) {}

  private Parsed parse(ByteBuffer whole, boolean allSymbols) throws ElfFormatException {
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
    ElfBytes r = new ElfBytes(buf, elfClass == ElfClass.ELF64);
    int osAbi = Byte.toUnsignedInt(buf.get(7));
    int ehSize = r.wide ? 64 : 52;
    if (size < ehSize) {
      throw new ElfFormatException(
          "ELF header at offset 0x0: truncated (" + size + " of " + ehSize + " bytes)");
    }
    int type = r.u16(16, "e_type");
    int machine = r.u16(18, "e_machine");
    Header header = new Header(elfClass, order, machine, type, osAbi);
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

    List<LoadSegments.Segment> loads = new ArrayList<>();
    LoadSegments.Segment dynamic = null;
    LoadSegments.Segment interp = null;
    for (long i = 0; i < phnum; i++) {
      long at = phoff + i * phentsize;
      long pType = r.u32(at, "p_type of program header " + i);
      LoadSegments.Segment seg =
          r.wide
              ? new LoadSegments.Segment(
                  r.u64(at + 8, "p_offset"),
                  r.u64(at + 16, "p_vaddr"),
                  r.u64(at + 32, "p_filesz"),
                  r.u32(at + 4, "p_flags"))
              : new LoadSegments.Segment(
                  r.u32(at + 4, "p_offset"),
                  r.u32(at + 8, "p_vaddr"),
                  r.u32(at + 16, "p_filesz"),
                  r.u32(at + 24, "p_flags"));
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
      r.requireRange(interp.offset(), interp.filesz(), "PT_INTERP segment");
      interpreter =
          Optional.of(r.cString(interp.offset(), interp.offset() + interp.filesz(), "PT_INTERP"));
    }
    if (dynamic == null) {
      ElfInfo info =
          new ElfInfo(
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
              false,
              List.of(),
              List.of());
      return new Parsed(info, List.of());
    }
    return readDynamic(
        r, header, interpreter, new LoadSegments(loads), dynamic, interp, allSymbols);
  }

  private static long extendedPhnum(ElfBytes r) throws ElfFormatException {
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

  private static Parsed readDynamic(
      ElfBytes r,
      Header h,
      Optional<String> interpreter,
      LoadSegments loads,
      LoadSegments.Segment dynamic,
      LoadSegments.Segment interp,
      boolean allSymbols)
      throws ElfFormatException {
    r.requireRange(dynamic.offset(), dynamic.filesz(), "PT_DYNAMIC segment");
    int entSize = r.wide ? 16 : 8;
    long count = dynamic.filesz() / entSize;
    List<Long> neededOffsets = new ArrayList<>();
    Long soname = null;
    Long rpath = null;
    Long runpath = null;
    Long strtab = null;
    Long strsz = null;
    Long symtab = null;
    Long syment = null;
    Long hash = null;
    Long gnuHash = null;
    long flags1 = 0;
    for (long i = 0; i < count; i++) {
      long at = dynamic.offset() + i * entSize;
      long tag = r.wide ? r.s64(at, "d_tag") : r.s32(at, "d_tag");
      long val = r.wide ? r.u64(at + 8, "d_val") : r.u32(at + 4, "d_val");
      if (tag == DT_NULL) {
        break;
      }
      if (tag == DT_NEEDED) {
        if (neededOffsets.size() >= MAX_NEEDED) {
          throw new ElfFormatException(
              "dynamic section at offset 0x"
                  + Long.toHexString(dynamic.offset())
                  + ": more than "
                  + MAX_NEEDED
                  + " DT_NEEDED entries, the limit");
        }
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
      } else if (tag == DynamicSymbols.DT_SYMTAB) {
        symtab = val;
      } else if (tag == DynamicSymbols.DT_SYMENT) {
        syment = val;
      } else if (tag == DynamicSymbols.DT_HASH) {
        hash = val;
      } else if (tag == DynamicSymbols.DT_GNU_HASH) {
        gnuHash = val;
      }
    }
    List<String> needed = new ArrayList<>();
    Optional<String> sonameStr = Optional.empty();
    List<String> rpathList = List.of();
    List<String> runpathList = List.of();
    boolean anyString =
        !neededOffsets.isEmpty()
            || soname != null
            || rpath != null
            || runpath != null
            || symtab != null;
    List<DynamicSymbol> symbols = List.of();
    List<String> literals = List.of();
    if (anyString) {
      if (strtab == null) {
        throw new ElfFormatException(
            "dynamic section at offset 0x"
                + Long.toHexString(dynamic.offset())
                + ": string tags without DT_STRTAB");
      }
      StringTable table = loads.stringTable(r, strtab, strsz);
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
      symbols =
          DynamicSymbols.read(
              r,
              loads,
              new DynamicSymbols.Tags(symtab, syment, hash, gnuHash, strtab),
              table,
              !allSymbols);
      if (symbols.stream().anyMatch(s -> s.imported() && DLOPEN.contains(s.name()))) {
        List<LibraryLiterals.Range> skipped = new ArrayList<>();
        skipped.add(new LibraryLiterals.Range(table.start(), table.end()));
        if (interp != null) {
          skipped.add(
              new LibraryLiterals.Range(interp.offset(), interp.offset() + interp.filesz()));
        }
        Optional<String> self = sonameStr;
        literals =
            LibraryLiterals.scan(r, loads, skipped).stream()
                .filter(l -> !needed.contains(l) && !self.equals(Optional.of(l)))
                .toList();
      }
    }
    TreeSet<String> imports = new TreeSet<>();
    for (DynamicSymbol s : symbols) {
      if (s.imported()) {
        imports.add(s.name());
      }
    }
    ElfInfo info =
        new ElfInfo(
            h.elfClass,
            h.order,
            h.machine,
            h.type,
            h.osAbi,
            interpreter,
            needed,
            sonameStr,
            rpathList,
            runpathList,
            flags1,
            true,
            List.copyOf(imports),
            literals);
    return new Parsed(info, symbols);
  }

  private static List<String> split(String raw) {
    return List.of(raw.split(":", -1));
  }
}
