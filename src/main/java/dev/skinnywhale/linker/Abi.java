package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfInfo;
import java.util.List;
import java.util.Optional;

/**
 * What glibc's loader compiles in per architecture: the Debian multiarch triplet, the value of
 * {@code $PLATFORM}, and the glibc-hwcaps subdirectories (glibc 2.33+), most capable first.
 */
record Abi(Optional<String> multiarch, String platform, List<String> hwcaps, boolean wide) {

  static Abi of(ElfInfo info) {
    boolean wide = info.elfClass() == ElfClass.ELF64;
    boolean little = info.byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    return switch (info.machine()) {
      case ElfInfo.EM_X86_64 ->
          wide
              ? new Abi(
                  Optional.of("x86_64-linux-gnu"),
                  "x86_64",
                  List.of("x86-64-v4", "x86-64-v3", "x86-64-v2"),
                  true)
              : new Abi(Optional.of("x86_64-linux-gnux32"), "x86_64", List.of(), false);
      case ElfInfo.EM_386 -> new Abi(Optional.of("i386-linux-gnu"), "i686", List.of(), false);
      case ElfInfo.EM_AARCH64 ->
          new Abi(Optional.of("aarch64-linux-gnu"), "aarch64", List.of(), wide);
      case ElfInfo.EM_ARM -> new Abi(Optional.of("arm-linux-gnueabihf"), "v7l", List.of(), false);
      case 21 ->
          wide
              ? new Abi(
                  Optional.of(little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu"),
                  little ? "power8" : "power7",
                  little ? List.of("power10", "power9") : List.of(),
                  true)
              : new Abi(Optional.of("powerpc-linux-gnu"), "ppc", List.of(), false);
      case 22 ->
          new Abi(
              Optional.of(wide ? "s390x-linux-gnu" : "s390-linux-gnu"),
              wide ? "z900" : "s390",
              wide ? List.of("z16", "z15", "z14", "z13") : List.of(),
              wide);
      case 243 -> new Abi(Optional.of("riscv64-linux-gnu"), "riscv64", List.of(), wide);
      default -> new Abi(Optional.empty(), "", List.of(), wide);
    };
  }
}
