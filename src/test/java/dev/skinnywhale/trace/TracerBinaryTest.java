package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracerBinaryTest {
  private static final int PT_INTERP = 3;
  private static final int EM_X86_64 = 62;

  @Test
  void resourceName_dockerAndKernelNames() {
    assertEquals(
        Optional.of("/dev/skinnywhale/trace/tracer/tracer-x86_64"),
        TracerBinary.resourceName("amd64"));
    assertEquals(TracerBinary.resourceName("amd64"), TracerBinary.resourceName("x86_64"));
    assertEquals(
        Optional.of("/dev/skinnywhale/trace/tracer/tracer-aarch64"),
        TracerBinary.resourceName("arm64"));
    assertEquals(TracerBinary.resourceName("arm64"), TracerBinary.resourceName("aarch64"));
    assertEquals(Optional.empty(), TracerBinary.resourceName("s390x"));
  }

  @Test
  void forArchitecture_unknown_isEmpty() {
    assertTrue(TracerBinary.forArchitecture("riscv64").isEmpty());
  }

  @Test
  void forArchitecture_x86_64_isAStaticElfExecutable() {
    byte[] bytes =
        TracerBinary.forArchitecture("amd64")
            .orElseThrow(() -> new AssertionError("the build puts tracer-x86_64 on the classpath"));
    ByteBuffer elf = ByteBuffer.wrap(bytes);
    assertTrue(bytes.length > 64, "an ELF header is 64 bytes");
    assertEquals(0x7f, elf.get(0));
    assertEquals('E', elf.get(1));
    assertEquals('L', elf.get(2));
    assertEquals('F', elf.get(3));
    assertEquals(2, elf.get(4), "ELFCLASS64");
    assertEquals(1, elf.get(5), "little endian");
    elf.order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(EM_X86_64, Short.toUnsignedInt(elf.getShort(0x12)));
    long phoff = elf.getLong(0x20);
    int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
    int phnum = Short.toUnsignedInt(elf.getShort(0x38));
    assertEquals(56, phentsize);
    assertTrue(
        phoff > 0 && phoff + (long) phnum * phentsize <= bytes.length,
        "program headers inside the file");
    for (int i = 0; i < phnum; i++) {
      int type = elf.getInt((int) phoff + i * phentsize);
      assertFalse(type == PT_INTERP, "a static executable has no PT_INTERP");
    }
  }
}
