package dev.skinnywhale.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Emits minimal valid ELF files: the header, a read-only PT_LOAD covering the whole file (at a
 * virtual base, so DT_STRTAB really needs mapping), optional PT_INTERP and PT_DYNAMIC, a string
 * table, a dynamic symbol table with GNU and/or SysV hash tables ({@link SymbolTableFixture}),
 * read-only strings, a writable PT_LOAD of strings, and the dynamic entries. {@link #build()} also
 * returns the offsets of each structure so tests can break them.
 */
public final class ElfFixture {
  public static final long BASE = 0x400000;

  private ElfClass elfClass = ElfClass.ELF64;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  private int machine = ElfInfo.EM_X86_64;
  private int type = ElfInfo.ET_DYN;
  private int osAbi = 0;
  private Optional<String> interpreter = Optional.empty();
  private final List<String> needed = new ArrayList<>();
  private Optional<String> soname = Optional.empty();
  private Optional<String> rpath = Optional.empty();
  private Optional<String> runpath = Optional.empty();
  private long flags1 = 0;
  private boolean dynamic = true;
  private boolean extendedPhnum = false;
  private boolean withStrsz = true;
  private final List<SymbolTableFixture.Sym> symbols = new ArrayList<>();
  private SymbolTableFixture.HashStyle hashStyle = SymbolTableFixture.HashStyle.GNU;
  private final List<String> rodata = new ArrayList<>();
  private final List<String> writable = new ArrayList<>();
  private boolean tablesLast = false;

  /** A 64-bit little-endian x86-64 shared object with no dependencies. */
  public static ElfFixture x86_64() {
    return new ElfFixture();
  }

  public ElfFixture elfClass(ElfClass c) {
    this.elfClass = c;
    return this;
  }

  public ElfFixture order(ByteOrder o) {
    this.order = o;
    return this;
  }

  public ElfFixture machine(int m) {
    this.machine = m;
    return this;
  }

  public ElfFixture type(int t) {
    this.type = t;
    return this;
  }

  public ElfFixture osAbi(int a) {
    this.osAbi = a;
    return this;
  }

  public ElfFixture interpreter(String path) {
    this.interpreter = Optional.of(path);
    return this;
  }

  public ElfFixture needed(String... names) {
    needed.addAll(List.of(names));
    return this;
  }

  public ElfFixture soname(String s) {
    this.soname = Optional.of(s);
    return this;
  }

  public ElfFixture rpath(String s) {
    this.rpath = Optional.of(s);
    return this;
  }

  public ElfFixture runpath(String s) {
    this.runpath = Optional.of(s);
    return this;
  }

  public ElfFixture flags1(long f) {
    this.flags1 = f;
    return this;
  }

  /** No PT_DYNAMIC: a static executable. */
  public ElfFixture noDynamic() {
    this.dynamic = false;
    return this;
  }

  /** Store e_phnum as PN_XNUM (0xFFFF) and the real count in section 0's sh_info. */
  public ElfFixture extendedPhnum() {
    this.extendedPhnum = true;
    return this;
  }

  public ElfFixture withoutStrsz() {
    this.withStrsz = false;
    return this;
  }

  /** Undefined global functions in the dynamic symbol table (what the object imports). */
  public ElfFixture imports(String... names) {
    for (String n : names) {
      symbols.add(new SymbolTableFixture.Sym(n, false, 1, 2));
    }
    return this;
  }

  /** Undefined weak symbols. */
  public ElfFixture weakImports(String... names) {
    for (String n : names) {
      symbols.add(new SymbolTableFixture.Sym(n, false, 2, 0));
    }
    return this;
  }

  /** Defined global functions (hashed). */
  public ElfFixture defines(String... names) {
    for (String n : names) {
      symbols.add(new SymbolTableFixture.Sym(n, true, 1, 2));
    }
    return this;
  }

  /** Which hash table gives the symbol count (GNU by default). */
  public ElfFixture hash(SymbolTableFixture.HashStyle style) {
    this.hashStyle = style;
    return this;
  }

  /** Put the symbol and hash tables after the dynamic section, at the end of the file. */
  public ElfFixture tablesLast() {
    this.tablesLast = true;
    return this;
  }

  /** NUL-terminated strings in the read-only part of the file, outside the string table. */
  public ElfFixture rodata(String... strings) {
    rodata.addAll(List.of(strings));
    return this;
  }

  /** NUL-terminated strings in a writable PT_LOAD of their own. */
  public ElfFixture writableData(String... strings) {
    writable.addAll(List.of(strings));
    return this;
  }

  public byte[] bytes() {
    return build().bytes();
  }

  /** The file and where its structures are. */
  public record Built(
      byte[] bytes,
      ByteOrder order,
      boolean wide,
      int phoff,
      int phnum,
      int dynamicOffset,
      int dynamicSize,
      int strtabOffset,
      int strtabSize,
      int interpOffset,
      int symtabOffset,
      int symbolCount,
      int gnuHashOffset,
      int hashOffset,
      int rodataOffset) {}

  public Built build() {
    boolean wide = elfClass == ElfClass.ELF64;
    int ehsize = wide ? 64 : 52;
    int phentsize = wide ? 56 : 32;
    int dynent = wide ? 16 : 8;
    int phnum =
        1 + (interpreter.isPresent() ? 1 : 0) + (dynamic ? 1 : 0) + (writable.isEmpty() ? 0 : 1);
    int phoff = ehsize;

    // String table: index 0 is the empty string.
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    List<long[]> dyn = new ArrayList<>();
    for (String n : needed) {
      dyn.add(new long[] {ElfReader.DT_NEEDED, addString(strtab, n)});
    }
    soname.ifPresent(s -> dyn.add(new long[] {ElfReader.DT_SONAME, addString(strtab, s)}));
    rpath.ifPresent(s -> dyn.add(new long[] {ElfReader.DT_RPATH, addString(strtab, s)}));
    runpath.ifPresent(s -> dyn.add(new long[] {ElfReader.DT_RUNPATH, addString(strtab, s)}));
    if (flags1 != 0) {
      dyn.add(new long[] {ElfReader.DT_FLAGS_1, flags1});
    }
    List<SymbolTableFixture.Sym> ordered = SymbolTableFixture.ordered(symbols);
    List<Long> nameIndexes = new ArrayList<>();
    for (SymbolTableFixture.Sym sym : ordered) {
      nameIndexes.add(addString(strtab, sym.name()));
    }

    int interpOffset = phoff + phnum * phentsize;
    byte[] interpBytes =
        interpreter.map(s -> (s + "\0").getBytes(StandardCharsets.ISO_8859_1)).orElse(new byte[0]);
    int strtabOffset = interpOffset + interpBytes.length;
    byte[] strBytes = strtab.toByteArray();
    int rodataOffset = strtabOffset + strBytes.length;
    byte[] rodataBytes = strings(rodata);
    byte[] symtabBytes =
        symbols.isEmpty()
            ? new byte[0]
            : SymbolTableFixture.symtab(ordered, nameIndexes, wide, order);
    boolean gnu =
        hashStyle == SymbolTableFixture.HashStyle.GNU
            || hashStyle == SymbolTableFixture.HashStyle.BOTH;
    boolean sysv =
        hashStyle == SymbolTableFixture.HashStyle.SYSV
            || hashStyle == SymbolTableFixture.HashStyle.BOTH;
    byte[] gnuBytes =
        symbols.isEmpty() || !gnu ? new byte[0] : SymbolTableFixture.gnuHash(ordered, wide, order);
    byte[] sysvBytes =
        symbols.isEmpty() || !sysv ? new byte[0] : SymbolTableFixture.sysvHash(ordered, order);
    int symbolTags = symbols.isEmpty() ? 0 : 2 + (gnu ? 1 : 0) + (sysv ? 1 : 0);
    int dynamicSize =
        dynamic ? (dyn.size() + 1 + (withStrsz ? 1 : 0) + symbolTags + 1) * dynent : 0;
    // Tables before the dynamic section (as GNU ld lays them out), or after it, so that a cut
    // file truncates them and nothing else.
    int afterRodata = align(rodataOffset + rodataBytes.length, 8);
    int dynamicOffset;
    int symtabOffset;
    if (tablesLast) {
      dynamicOffset = afterRodata;
      symtabOffset = align(dynamicOffset + dynamicSize, 8);
    } else {
      symtabOffset = afterRodata;
      dynamicOffset = -1;
    }
    int gnuHashOffset = align(symtabOffset + symtabBytes.length, 8);
    int hashOffset = align(gnuHashOffset + gnuBytes.length, 8);
    int tablesEnd = hashOffset + sysvBytes.length;
    if (!tablesLast) {
      dynamicOffset = align(tablesEnd, 8);
    }
    dyn.add(0, new long[] {ElfReader.DT_STRTAB, BASE + strtabOffset});
    if (withStrsz) {
      dyn.add(1, new long[] {ElfReader.DT_STRSZ, strBytes.length});
    }
    if (!symbols.isEmpty()) {
      dyn.add(new long[] {DynamicSymbols.DT_SYMTAB, BASE + symtabOffset});
      dyn.add(new long[] {DynamicSymbols.DT_SYMENT, wide ? 24 : 16});
      if (gnu) {
        dyn.add(new long[] {DynamicSymbols.DT_GNU_HASH, BASE + gnuHashOffset});
      }
      if (sysv) {
        dyn.add(new long[] {DynamicSymbols.DT_HASH, BASE + hashOffset});
      }
    }
    dyn.add(new long[] {ElfReader.DT_NULL, 0});
    if (dynamic && dyn.size() * dynent != dynamicSize) {
      throw new AssertionError("dynamic section size miscounted");
    }
    int lastEnd = tablesLast ? tablesEnd : dynamicOffset + dynamicSize;
    int writableOffset = align(lastEnd, 8);
    byte[] writableBytes = strings(writable);
    int shoff = align(writableOffset + writableBytes.length, 8);
    int shentsize = wide ? 64 : 40;
    int total = extendedPhnum ? shoff + shentsize : shoff;

    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
    b.put(4, (byte) (wide ? 2 : 1));
    b.put(5, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2));
    b.put(6, (byte) 1);
    b.put(7, (byte) osAbi);
    b.putShort(16, (short) type);
    b.putShort(18, (short) machine);
    b.putInt(20, 1);
    if (wide) {
      b.putLong(0x20, phoff);
      b.putLong(0x28, extendedPhnum ? shoff : 0);
      b.putShort(0x34, (short) ehsize);
      b.putShort(0x36, (short) phentsize);
      b.putShort(0x38, (short) (extendedPhnum ? 0xFFFF : phnum));
      b.putShort(0x3A, (short) shentsize);
      b.putShort(0x3C, (short) (extendedPhnum ? 1 : 0));
    } else {
      b.putInt(0x1C, phoff);
      b.putInt(0x20, extendedPhnum ? shoff : 0);
      b.putShort(0x28, (short) ehsize);
      b.putShort(0x2A, (short) phentsize);
      b.putShort(0x2C, (short) (extendedPhnum ? 0xFFFF : phnum));
      b.putShort(0x2E, (short) shentsize);
      b.putShort(0x30, (short) (extendedPhnum ? 1 : 0));
    }
    int ph = phoff;
    putPhdr(b, wide, ph, ElfReader.PT_LOAD, 0, BASE, writable.isEmpty() ? total : writableOffset);
    ph += phentsize;
    if (!writable.isEmpty()) {
      putPhdr(
          b,
          wide,
          ph,
          ElfReader.PT_LOAD,
          writableOffset,
          BASE + writableOffset,
          writableBytes.length);
      b.putInt(ph + (wide ? 4 : 24), 6); // PF_R | PF_W
      ph += phentsize;
    }
    if (interpreter.isPresent()) {
      putPhdr(
          b, wide, ph, ElfReader.PT_INTERP, interpOffset, BASE + interpOffset, interpBytes.length);
      ph += phentsize;
    }
    if (dynamic) {
      putPhdr(b, wide, ph, ElfReader.PT_DYNAMIC, dynamicOffset, BASE + dynamicOffset, dynamicSize);
    }
    b.put(interpOffset, interpBytes);
    b.put(strtabOffset, strBytes);
    b.put(rodataOffset, rodataBytes);
    b.put(symtabOffset, symtabBytes);
    b.put(gnuHashOffset, gnuBytes);
    b.put(hashOffset, sysvBytes);
    b.put(writableOffset, writableBytes);
    if (dynamic) {
      int at = dynamicOffset;
      for (long[] e : dyn) {
        if (wide) {
          b.putLong(at, e[0]).putLong(at + 8, e[1]);
        } else {
          b.putInt(at, (int) e[0]).putInt(at + 4, (int) e[1]);
        }
        at += dynent;
      }
    }
    if (extendedPhnum) {
      b.putInt(shoff + (wide ? 0x2C : 0x1C), phnum);
    }
    return new Built(
        b.array(),
        order,
        wide,
        phoff,
        phnum,
        dynamic ? dynamicOffset : -1,
        dynamicSize,
        strtabOffset,
        strBytes.length,
        interpreter.isPresent() ? interpOffset : -1,
        symbols.isEmpty() ? -1 : symtabOffset,
        symbols.isEmpty() ? 0 : symbols.size() + 1,
        gnuBytes.length == 0 ? -1 : gnuHashOffset,
        sysvBytes.length == 0 ? -1 : hashOffset,
        rodataOffset);
  }

  private static byte[] strings(List<String> strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : strings) {
      out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      out.write(0);
    }
    return out.toByteArray();
  }

  private static void putPhdr(
      ByteBuffer b, boolean wide, int at, int type, long offset, long vaddr, long size) {
    b.putInt(at, type);
    if (wide) {
      b.putInt(at + 4, 4);
      b.putLong(at + 8, offset).putLong(at + 16, vaddr).putLong(at + 24, vaddr);
      b.putLong(at + 32, size).putLong(at + 40, size).putLong(at + 48, 8);
    } else {
      b.putInt(at + 4, (int) offset).putInt(at + 8, (int) vaddr).putInt(at + 12, (int) vaddr);
      b.putInt(at + 16, (int) size).putInt(at + 20, (int) size).putInt(at + 24, 4);
      b.putInt(at + 28, 4);
    }
  }

  private static long addString(ByteArrayOutputStream table, String s) {
    long at = table.size();
    table.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    table.write(0);
    return at;
  }

  private static int align(int v, int a) {
    return (v + a - 1) / a * a;
  }
}
