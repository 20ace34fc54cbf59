package dev.skinnywhale.elf;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dynamic loader sees of an ELF file: its identity, the strings of its dynamic section and
 * the names it imports.
 *
 * @param elfClass 32 or 64 bit
 * @param byteOrder from {@code EI_DATA}
 * @param machine {@code e_machine} (EM_X86_64 = 62, EM_AARCH64 = 183, EM_386 = 3, EM_ARM = 40)
 * @param type {@code e_type} (ET_EXEC = 2, ET_DYN = 3)
 * @param osAbi {@code EI_OSABI}
 * @param interpreter {@code PT_INTERP}, without its NUL
 * @param needed every {@code DT_NEEDED}, in file order
 * @param soname {@code DT_SONAME}
 * @param rpath {@code DT_RPATH} split on ':' keeping empty elements (so {@link #rpathRaw()} is
 *     lossless); empty when the tag is absent. Kept even when DT_RUNPATH is present (the loader
 *     then ignores it).
 * @param runpath {@code DT_RUNPATH}, split the same way
 * @param flags1 {@code DT_FLAGS_1}, 0 when absent
 * @param dynamic whether the file has a {@code PT_DYNAMIC} segment
 * @param imports the names of the undefined global and weak symbols of the dynamic symbol table
 *     (what the object takes from others at run time), sorted, without versions
 * @param libraryLiterals for an object that imports {@code dlopen}: the library names among the
 *     string literals of its read-only data ({@code liblz4.so.1}, {@code /opt/x/libfoo.so}),
 *     sorted, without its own DT_NEEDED names and DT_SONAME; empty for every other object
 */
public record ElfInfo(
    ElfClass elfClass,
    ByteOrder byteOrder,
    int machine,
    int type,
    int osAbi,
    Optional<String> interpreter,
    List<String> needed,
    Optional<String> soname,
    List<String> rpath,
    List<String> runpath,
    long flags1,
    boolean dynamic,
    List<String> imports,
    List<String> libraryLiterals) {

  public static final int EM_386 = 3;
  public static final int EM_ARM = 40;
  public static final int EM_X86_64 = 62;
  public static final int EM_AARCH64 = 183;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;
  public static final long DF_1_NODEFLIB = 0x800;

  public ElfInfo {
    Objects.requireNonNull(elfClass, "elfClass");
    Objects.requireNonNull(byteOrder, "byteOrder");
    Objects.requireNonNull(interpreter, "interpreter");
    needed = List.copyOf(needed);
    Objects.requireNonNull(soname, "soname");
    rpath = List.copyOf(rpath);
    runpath = List.copyOf(runpath);
    imports = List.copyOf(imports);
    libraryLiterals = List.copyOf(libraryLiterals);
  }

  /** Whether the object imports {@code symbol} (an undefined global or weak dynamic symbol). */
  public boolean imports(String symbol) {
    return java.util.Collections.binarySearch(imports, symbol) >= 0;
  }

  /** Whether the file has a {@code PT_DYNAMIC} segment (a static executable has none). */
  public boolean isDynamic() {
    return dynamic;
  }

  /** {@code DF_1_NODEFLIB}: the loader must not use the default directories for this object. */
  public boolean noDefaultLib() {
    return (flags1 & DF_1_NODEFLIB) != 0;
  }

  /** Whether a library of {@code other}'s kind can be loaded into a process of this one. */
  public boolean compatibleWith(ElfInfo other) {
    return elfClass == other.elfClass
        && machine == other.machine
        && byteOrder.equals(other.byteOrder);
  }

  /** Whether a {@code DT_RPATH} tag is present. */
  public boolean hasRpath() {
    return !rpath.isEmpty();
  }

  /** Whether a {@code DT_RUNPATH} tag is present (then the loader ignores DT_RPATH). */
  public boolean hasRunpath() {
    return !runpath.isEmpty();
  }

  /** The {@code DT_RPATH} string as stored. */
  public Optional<String> rpathRaw() {
    return rpath.isEmpty() ? Optional.empty() : Optional.of(String.join(":", rpath));
  }

  /** The {@code DT_RUNPATH} string as stored. */
  public Optional<String> runpathRaw() {
    return runpath.isEmpty() ? Optional.empty() : Optional.of(String.join(":", runpath));
  }
}
