package dev.skinnywhale.elf;

import java.util.Objects;

/**
 * One entry of the dynamic symbol table ({@code DT_SYMTAB}), as the loader sees it.
 *
 * @param index its index in the table (0 is the null symbol)
 * @param name from the dynamic string table, without a version ({@code iconv_open}, not {@code
 *     iconv_open@GLIBC_2.2.5}); empty for the null symbol
 * @param value {@code st_value}
 * @param size {@code st_size}
 * @param type {@code ELF_ST_TYPE(st_info)}: 0 NOTYPE, 1 OBJECT, 2 FUNC, 3 SECTION, 4 FILE, 5
 *     COMMON, 6 TLS, 10 GNU_IFUNC
 * @param bind {@code ELF_ST_BIND(st_info)}: 0 LOCAL, 1 GLOBAL, 2 WEAK, 10 GNU_UNIQUE
 * @param visibility {@code st_other & 3}: 0 DEFAULT, 1 INTERNAL, 2 HIDDEN, 3 PROTECTED
 * @param shndx {@code st_shndx}: 0 is SHN_UNDEF (the symbol is imported)
 */
public record DynamicSymbol(
    int index, String name, long value, long size, int type, int bind, int visibility, int shndx) {
  public static final int STB_LOCAL = 0;
  public static final int STB_GLOBAL = 1;
  public static final int STB_WEAK = 2;
  public static final int SHN_UNDEF = 0;

  public DynamicSymbol {
    Objects.requireNonNull(name, "name");
  }

  /** Whether the object defines it (any section index but SHN_UNDEF, SHN_ABS included). */
  public boolean defined() {
    return shndx != SHN_UNDEF;
  }

  /**
   * Whether it is something the object takes from another one at run time: an undefined global or
   * weak symbol with a name.
   */
  public boolean imported() {
    return !defined() && !name.isEmpty() && (bind == STB_GLOBAL || bind == STB_WEAK);
  }
}
