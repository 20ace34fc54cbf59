package dev.skinnywhale.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElfReaderTest {
  private final ElfReader reader = new ElfReader();

  static Stream<Arguments> classesAndOrders() {
    return Stream.of(
        Arguments.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN),
        Arguments.of(ElfClass.ELF64, ByteOrder.BIG_ENDIAN),
        Arguments.of(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN),
        Arguments.of(ElfClass.ELF32, ByteOrder.BIG_ENDIAN));
  }

  private ElfInfo read(byte[] bytes) throws ElfFormatException {
    return reader.read(ByteBuffer.wrap(bytes));
  }

  @ParameterizedTest
  @MethodSource("classesAndOrders")
  void read_everyField(ElfClass cls, ByteOrder order) throws Exception {
    byte[] elf =
        ElfFixture.x86_64()
            .elfClass(cls)
            .order(order)
            .machine(ElfInfo.EM_AARCH64)
            .type(ElfInfo.ET_EXEC)
            .osAbi(3)
            .interpreter("/lib/ld-linux-aarch64.so.1")
            .needed("libz.so.1", "libc.so.6")
            .soname("libself.so.2")
            .rpath("$ORIGIN/../lib:/opt/x")
            .runpath("/run/a::/run/b")
            .flags1(ElfInfo.DF_1_NODEFLIB | 1)
            .bytes();
    ElfInfo info = read(elf);
    assertEquals(cls, info.elfClass());
    assertEquals(order, info.byteOrder());
    assertEquals(ElfInfo.EM_AARCH64, info.machine());
    assertEquals(ElfInfo.ET_EXEC, info.type());
    assertEquals(3, info.osAbi());
    assertEquals(Optional.of("/lib/ld-linux-aarch64.so.1"), info.interpreter());
    assertEquals(List.of("libz.so.1", "libc.so.6"), info.needed());
    assertEquals(Optional.of("libself.so.2"), info.soname());
    assertEquals(List.of("$ORIGIN/../lib", "/opt/x"), info.rpath());
    assertEquals(List.of("/run/a", "", "/run/b"), info.runpath());
    assertEquals(Optional.of("/run/a::/run/b"), info.runpathRaw());
    assertEquals(Optional.of("$ORIGIN/../lib:/opt/x"), info.rpathRaw());
    assertEquals(ElfInfo.DF_1_NODEFLIB | 1, info.flags1());
    assertTrue(info.noDefaultLib());
    assertTrue(info.isDynamic());
  }

  @Test
  void read_staticExecutable_hasNoDynamicFields() throws Exception {
    ElfInfo info = read(ElfFixture.x86_64().type(ElfInfo.ET_EXEC).noDynamic().bytes());
    assertFalse(info.isDynamic());
    assertEquals(List.of(), info.needed());
    assertEquals(Optional.empty(), info.interpreter());
    assertEquals(Optional.empty(), info.rpathRaw());
    assertFalse(info.noDefaultLib());
  }

  @ParameterizedTest
  @MethodSource("classesAndOrders")
  void read_extendedPhnum_countFromSection0(ElfClass cls, ByteOrder order) throws Exception {
    ElfInfo info =
        read(
            ElfFixture.x86_64()
                .elfClass(cls)
                .order(order)
                .extendedPhnum()
                .interpreter("/ld.so")
                .needed("liba.so")
                .bytes());
    assertEquals(Optional.of("/ld.so"), info.interpreter());
    assertEquals(List.of("liba.so"), info.needed());
  }

  @Test
  void read_withoutStrsz_boundedBySegment() throws Exception {
    ElfInfo info = read(ElfFixture.x86_64().withoutStrsz().needed("liba.so").bytes());
    assertEquals(List.of("liba.so"), info.needed());
  }

  @Test
  void read_latin1Bytes_roundTrip() throws Exception {
    String name =
        new String(new byte[] {'l', (byte) 0xE9, (byte) 0xFF}, StandardCharsets.ISO_8859_1);
    ElfInfo info = read(ElfFixture.x86_64().needed(name).bytes());
    assertEquals(List.of(name), info.needed());
  }

  @Test
  void read_ignoresBufferPosition() throws Exception {
    ByteBuffer buf = ByteBuffer.wrap(ElfFixture.x86_64().needed("a").bytes());
    buf.position(10);
    assertEquals(List.of("a"), reader.read(buf).needed());
    assertEquals(10, buf.position());
  }

  @Test
  void compatibleWith_comparesClassMachineOrder() throws Exception {
    ElfInfo a = read(ElfFixture.x86_64().bytes());
    ElfInfo b = read(ElfFixture.x86_64().needed("x").bytes());
    ElfInfo c32 = read(ElfFixture.x86_64().elfClass(ElfClass.ELF32).bytes());
    ElfInfo arm = read(ElfFixture.x86_64().machine(ElfInfo.EM_AARCH64).bytes());
    ElfInfo be = read(ElfFixture.x86_64().order(ByteOrder.BIG_ENDIAN).bytes());
    assertTrue(a.compatibleWith(b));
    assertFalse(a.compatibleWith(c32));
    assertFalse(a.compatibleWith(arm));
    assertFalse(a.compatibleWith(be));
  }

  @Test
  void hasElfMagic() {
    assertTrue(ElfReader.hasElfMagic(ByteBuffer.wrap(ElfFixture.x86_64().bytes())));
    assertFalse(ElfReader.hasElfMagic(ByteBuffer.wrap("#!/bin/sh\n".getBytes())));
    assertFalse(ElfReader.hasElfMagic(ByteBuffer.wrap(new byte[] {0x7f, 'E'})));
  }

  // --- broken files: always ElfFormatException, with the structure in the message ---

  private void assertBroken(byte[] bytes, String expectedInMessage) {
    ElfFormatException e = assertThrows(ElfFormatException.class, () -> read(bytes));
    assertTrue(
        e.getMessage().contains(expectedInMessage),
        () -> "message '" + e.getMessage() + "' lacks '" + expectedInMessage + "'");
  }

  @Test
  void read_notElf() {
    assertBroken("#!/bin/sh\necho hello world\n".getBytes(), "not an ELF file");
  }

  @Test
  void read_empty() {
    assertBroken(new byte[0], "truncated");
  }

  @Test
  void read_truncatedHeader() {
    byte[] elf = ElfFixture.x86_64().bytes();
    assertBroken(Arrays.copyOf(elf, 40), "ELF header at offset 0x0: truncated");
  }

  @Test
  void read_badClass() {
    byte[] elf = ElfFixture.x86_64().bytes();
    elf[4] = 7;
    assertBroken(elf, "EI_CLASS");
  }

  @Test
  void read_badData() {
    byte[] elf = ElfFixture.x86_64().bytes();
    elf[5] = 0;
    assertBroken(elf, "EI_DATA");
  }

  @ParameterizedTest
  @MethodSource("classesAndOrders")
  void read_phoffPastEnd(ElfClass cls, ByteOrder order) {
    ElfFixture.Built f = ElfFixture.x86_64().elfClass(cls).order(order).needed("a").build();
    ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(order);
    if (f.wide()) {
      b.putLong(0x20, 0x7fff_ffff_0000L);
    } else {
      b.putInt(0x1C, 0xFFFF_FF00);
    }
    assertBroken(f.bytes(), "program header table");
  }

  @Test
  void read_phoffNegativeAsSigned() {
    ElfFixture.Built f = ElfFixture.x86_64().build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(0x20, -8L);
    assertBroken(f.bytes(), "program header table");
  }

  @ParameterizedTest
  @MethodSource("classesAndOrders")
  void read_phnumHuge(ElfClass cls, ByteOrder order) {
    ElfFixture.Built f = ElfFixture.x86_64().elfClass(cls).order(order).build();
    ByteBuffer.wrap(f.bytes()).order(order).putShort(f.wide() ? 0x38 : 0x2C, (short) 0xFFFE);
    assertBroken(f.bytes(), "program header table (e_phnum 65534)");
  }

  @Test
  void read_extendedPhnumHuge() {
    ElfFixture.Built f = ElfFixture.x86_64().extendedPhnum().build();
    ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(f.order());
    long shoff = b.getLong(0x28);
    b.putInt((int) shoff + 0x2C, 0xFFFF_FFFF);
    assertBroken(f.bytes(), "program header table (e_phnum 4294967295)");
  }

  @Test
  void read_extendedPhnumWithoutSection0() {
    ElfFixture.Built f = ElfFixture.x86_64().extendedPhnum().build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(0x28, 0);
    assertBroken(f.bytes(), "PN_XNUM");
  }

  @Test
  void read_phentsizeTooSmall() {
    ElfFixture.Built f = ElfFixture.x86_64().build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putShort(0x36, (short) 8);
    assertBroken(f.bytes(), "e_phentsize");
  }

  @Test
  void read_truncatedProgramHeaders() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    assertBroken(Arrays.copyOf(f.bytes(), f.phoff() + 60), "program header table");
  }

  /** The program header of the given type, by index in the fixture's fixed order. */
  private static int phdrAt(ElfFixture.Built f, int index) {
    return f.phoff() + index * (f.wide() ? 56 : 32);
  }

  @ParameterizedTest
  @MethodSource("classesAndOrders")
  void read_dynamicPastEnd(ElfClass cls, ByteOrder order) {
    ElfFixture.Built f = ElfFixture.x86_64().elfClass(cls).order(order).needed("a").build();
    ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(order);
    int ph = phdrAt(f, 1); // LOAD, DYNAMIC
    if (f.wide()) {
      b.putLong(ph + 32, 1 << 20);
    } else {
      b.putInt(ph + 16, 1 << 20);
    }
    assertBroken(f.bytes(), "PT_DYNAMIC segment");
  }

  @Test
  void read_truncatedInsideDynamic() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a", "b").build();
    assertBroken(Arrays.copyOf(f.bytes(), f.dynamicOffset() + 20), "PT_DYNAMIC segment");
  }

  @Test
  void read_interpPastEnd() {
    ElfFixture.Built f = ElfFixture.x86_64().interpreter("/ld.so").build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(phdrAt(f, 1) + 8, 1L << 40);
    assertBroken(f.bytes(), "PT_INTERP segment");
  }

  @Test
  void read_interpUnterminated() {
    ElfFixture.Built f = ElfFixture.x86_64().interpreter("/ld.so").build();
    ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(f.order());
    b.putLong(phdrAt(f, 1) + 32, 3); // filesz cuts before the NUL
    assertBroken(f.bytes(), "not NUL-terminated");
  }

  @Test
  void read_strtabVaddrUnmapped() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(f.dynamicOffset() + 8, 0x10);
    assertBroken(f.bytes(), "lies in no PT_LOAD");
  }

  @Test
  void read_strtabOffsetOutOfRange() {
    // The PT_LOAD claims a huge file size and offset, so the mapped address is past the end.
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(f.order());
    int load = phdrAt(f, 0);
    b.putLong(load + 8, 1L << 33);
    b.putLong(load + 32, 1L << 34);
    assertBroken(f.bytes(), "DT_STRTAB");
  }

  @Test
  void read_strszPastEnd() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(f.dynamicOffset() + 16 + 8, 1L << 20);
    assertBroken(f.bytes(), "DT_STRSZ");
  }

  @Test
  void read_neededIndexOutOfTable() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    // entries: STRTAB, STRSZ, NEEDED
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(f.dynamicOffset() + 32 + 8, 5000);
    assertBroken(f.bytes(), "DT_NEEDED: string index 0x1388 outside the string table");
  }

  @Test
  void read_unterminatedString() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("abc").build();
    // Shrink DT_STRSZ so the table ends inside "abc".
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(f.dynamicOffset() + 16 + 8, 3);
    assertBroken(f.bytes(), "not NUL-terminated");
  }

  @Test
  void read_stringTagWithoutStrtab() {
    ElfFixture.Built f = ElfFixture.x86_64().needed("a").build();
    ByteBuffer.wrap(f.bytes()).order(f.order()).putLong(f.dynamicOffset(), 0x7000_0000L);
    assertBroken(f.bytes(), "without DT_STRTAB");
  }
}
