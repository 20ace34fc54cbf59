package dev.skinnywhale.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.SymbolTableFixture.HashStyle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dynamic symbol table and the library literals, on generated files. */
class DynamicSymbolsTest {
  private final ElfReader reader = new ElfReader();

  static Stream<Arguments> layouts() {
    return Stream.of(ElfClass.values())
        .flatMap(
            c ->
                Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)
                    .flatMap(
                        o ->
                            Stream.of(HashStyle.GNU, HashStyle.SYSV, HashStyle.BOTH)
                                .map(h -> Arguments.of(c, o, h))));
  }

  private static ElfFixture withSymbols(ElfClass cls, ByteOrder order, HashStyle hash) {
    return ElfFixture.x86_64()
        .elfClass(cls)
        .order(order)
        .hash(hash)
        .needed("libc.so.6")
        .imports("iconv_open", "getpwnam")
        .weakImports("__gmon_start__")
        .defines("alpha", "beta", "gamma", "delta", "epsilon");
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void read_importsOfEveryClassOrderAndHash(ElfClass cls, ByteOrder order, HashStyle hash)
      throws Exception {
    byte[] elf = withSymbols(cls, order, hash).bytes();
    ElfInfo info = reader.read(ByteBuffer.wrap(elf));
    assertEquals(List.of("__gmon_start__", "getpwnam", "iconv_open"), info.imports());
    assertTrue(info.imports("iconv_open"));
    assertEquals(List.of(), info.libraryLiterals());

    List<DynamicSymbol> all = reader.dynamicSymbols(ByteBuffer.wrap(elf));
    assertEquals(9, all.size(), all.toString());
    assertEquals("", all.get(0).name());
    assertEquals(
        List.of("alpha", "beta", "delta", "epsilon", "gamma"),
        all.stream().filter(DynamicSymbol::defined).map(DynamicSymbol::name).sorted().toList());
    DynamicSymbol weak =
        all.stream().filter(s -> s.name().equals("__gmon_start__")).findFirst().orElseThrow();
    assertEquals(DynamicSymbol.STB_WEAK, weak.bind());
    assertTrue(weak.imported());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i).index());
    }
  }

  @Test
  void read_gnuHashWithOnlyUndefinedSymbols_countIsSymoffset() throws Exception {
    byte[] elf = ElfFixture.x86_64().imports("setlocale", "dlopen").bytes();
    assertEquals(List.of("dlopen", "setlocale"), reader.read(ByteBuffer.wrap(elf)).imports());
    assertEquals(3, reader.dynamicSymbols(ByteBuffer.wrap(elf)).size());
  }

  @Test
  void read_noHashTable_noSymbolsWhenTheStringTableComesFirst() throws Exception {
    byte[] elf = ElfFixture.x86_64().hash(HashStyle.NONE).imports("iconv_open").bytes();
    assertEquals(List.of(), reader.read(ByteBuffer.wrap(elf)).imports());
  }

  @Test
  void read_staticOrWithoutSymbolTable_noImports() throws Exception {
    assertEquals(
        List.of(), reader.read(ByteBuffer.wrap(ElfFixture.x86_64().noDynamic().bytes())).imports());
    assertEquals(
        List.of(),
        reader.read(ByteBuffer.wrap(ElfFixture.x86_64().needed("libc.so.6").bytes())).imports());
  }

  static Stream<Arguments> truncations() {
    return Stream.of(HashStyle.GNU, HashStyle.SYSV)
        .flatMap(h -> Stream.of(ElfClass.values()).map(c -> Arguments.of(c, h)));
  }

  /** A file cut inside its symbol or hash table: an error naming the structure and offset. */
  @ParameterizedTest
  @MethodSource("truncations")
  void read_truncatedTables_formatErrorWithOffset(ElfClass cls, HashStyle hash) throws Exception {
    ElfFixture.Built b = withSymbols(cls, ByteOrder.LITTLE_ENDIAN, hash).tablesLast().build();
    int hashAt = hash == HashStyle.GNU ? b.gnuHashOffset() : b.hashOffset();
    // The last word of each table: GNU's last chain entry (5 hashed symbols), SysV's last chain.
    int lastWord =
        hash == HashStyle.GNU
            ? hashAt + 16 + (b.wide() ? 8 : 4) + 4 * SymbolTableFixture.GNU_BUCKETS + 4 * 4
            : hashAt + 8 + 4 * SymbolTableFixture.SYSV_BUCKETS + 4 * 8;
    int[] cuts = {b.symtabOffset() + 5, hashAt + 6, hashAt + 20, lastWord + 2};
    for (int cut : cuts) {
      byte[] cutFile = Arrays.copyOf(b.bytes(), cut);
      ElfFormatException e =
          assertThrows(
              ElfFormatException.class,
              () -> reader.read(ByteBuffer.wrap(cutFile)),
              "cut at " + cut);
      String m = e.getMessage().toLowerCase(java.util.Locale.ROOT);
      assertTrue(
          m.contains("0x") && (m.contains("hash") || m.contains("symbol table")),
          "cut at " + cut + ": " + m);
    }
  }

  @Test
  void read_sysvNchainBeyondTheFile_namesTheTable() {
    ElfFixture.Built b =
        withSymbols(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, HashStyle.SYSV).build();
    byte[] bytes = b.bytes().clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(b.hashOffset() + 4, 0x7fffffff);
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> reader.read(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().startsWith("SysV hash table (nbucket 3, nchain"), e.getMessage());
  }

  @Test
  void read_sysvCountLargerThanTheSymbolTable_namesTheTable() {
    ElfFixture.Built b =
        withSymbols(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, HashStyle.SYSV).build();
    byte[] bytes = b.bytes().clone();
    // Fits the hash table's own bounds (nbucket + nchain words), not the symbol table (24 bytes).
    int nchain = (bytes.length - b.hashOffset() - 8) / 4 - 3;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(b.hashOffset() + 4, nchain);
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> reader.read(ByteBuffer.wrap(bytes)));
    assertTrue(
        e.getMessage()
            .startsWith("dynamic symbol table (" + nchain + " entries of 24 bytes) at offset 0x"),
        e.getMessage());
  }

  @Test
  void read_gnuBucketBelowSymoffset_isAnError() {
    ElfFixture.Built b = withSymbols(ElfClass.ELF64, ByteOrder.BIG_ENDIAN, HashStyle.GNU).build();
    byte[] bytes = b.bytes().clone();
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    buf.putInt(b.gnuHashOffset() + 16 + 8, 1); // bucket 0 → symbol 1, an unhashed one
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> reader.read(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("below symoffset 4"), e.getMessage());
  }

  @Test
  void read_gnuChainPastTheEnd_namesTheChain() {
    ElfFixture.Built b =
        withSymbols(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, HashStyle.GNU).build();
    byte[] bytes = b.bytes().clone();
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(b.gnuHashOffset() + 16 + 4, 1 << 28);
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> reader.read(ByteBuffer.wrap(bytes)));
    assertTrue(
        e.getMessage().startsWith("GNU hash chain entry of symbol 268435456"), e.getMessage());
  }

  @Test
  void read_symbolNameOutsideTheStringTable_namesTheSymbol() {
    ElfFixture.Built b =
        withSymbols(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, HashStyle.GNU).build();
    byte[] bytes = b.bytes().clone();
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(b.symtabOffset() + 24 * 2, 0x10000);
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> reader.read(ByteBuffer.wrap(bytes)));
    assertTrue(
        e.getMessage().startsWith("name of dynamic symbol 2: string index 0x10000 outside"),
        e.getMessage());
  }

  @Test
  void read_literalsOnlyForDlopenImporters_andOnlyFromReadOnlyData() throws Exception {
    ElfFixture base =
        ElfFixture.x86_64()
            .needed("libc.so.6")
            .soname("libself.so.1")
            .interpreter("/lib64/ld-linux-x86-64.so.2")
            .rodata(
                "liblz4.so.1",
                "libzstd.so.1.5.4",
                "/opt/plugins/libfoo.so",
                "not a lib.so",
                "libc.so.6",
                "libself.so.1",
                "%s/libnss_%s.so.2",
                "libbar.so.x",
                ".so",
                "README.so.txt")
            .writableData("libwritable.so.2");
    ElfInfo without = reader.read(ByteBuffer.wrap(base.bytes()));
    assertEquals(List.of(), without.libraryLiterals());
    ElfInfo with = reader.read(ByteBuffer.wrap(base.imports("dlopen").bytes()));
    assertEquals(
        List.of("/opt/plugins/libfoo.so", "liblz4.so.1", "libzstd.so.1.5.4"),
        with.libraryLiterals());
  }

  @Test
  void isLibraryName_shapes() {
    for (String yes :
        List.of("libx.so", "libx.so.1", "x.so.1.2.3", "/a/b/libc.so.6", "pkcs11.so")) {
      assertTrue(LibraryLiterals.isLibraryName(yes), yes);
    }
    for (String no :
        List.of("libx.so.", "libx.so.a", ".so", "a/libx.so", "/a/", "libx.sox", "-libx.so")) {
      assertTrue(!LibraryLiterals.isLibraryName(no), no);
    }
  }
}
