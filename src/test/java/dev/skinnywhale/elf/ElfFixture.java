package dev.skinnywhale.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Emits minimal valid ELF files: the header, a PT_LOAD covering the whole file (at a virtual base,
 * so DT_STRTAB really needs mapping), optional PT_INTERP and PT_DYNAMIC, a string table and the
 * dynamic entries. {@link #build()} also returns the offsets of each structure so tests can break
 * them.
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
      int interpOffset) {}

  public Built build() {
    boolean wide = elfClass == ElfClass.ELF64;
    int ehsize = wide ? 64 : 52;
    int phentsize = wide ? 56 : 32;
    int dynent = wide ? 16 : 8;
    int phnum = 1 + (interpreter.isPresent() ? 1 : 0) + (dynamic ? 1 : 0);
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

    int interpOffset = phoff + phnum * phentsize;
    byte[] interpBytes =
        interpreter.map(s -> (s + "\0").getBytes(StandardCharsets.ISO_8859_1)).orElse(new byte[0]);
    int strtabOffset = interpOffset + interpBytes.length;
    byte[] strBytes = strtab.toByteArray();
    int dynamicOffset = align(strtabOffset + strBytes.length, 8);
    dyn.add(0, new long[] {ElfReader.DT_STRTAB, BASE + strtabOffset});
    if (withStrsz) {
      dyn.add(1, new long[] {ElfReader.DT_STRSZ, strBytes.length});
    }
    dyn.add(new long[] {ElfReader.DT_NULL, 0});
    int dynamicSize = dynamic ? dyn.size() * dynent : 0;
    int shoff = align(dynamicOffset + dynamicSize, 8);
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
    putPhdr(b, wide, ph, ElfReader.PT_LOAD, 0, BASE, total);
    ph += phentsize;
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
        interpreter.isPresent() ? interpOffset : -1);
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
