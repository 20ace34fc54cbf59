package dev.skinnywhale.elf;

/** The ELF file class ({@code EI_CLASS}): the width of addresses and offsets. */
public enum ElfClass {
  ELF32,
  ELF64
}
