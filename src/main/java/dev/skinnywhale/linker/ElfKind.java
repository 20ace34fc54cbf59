package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfInfo;
import java.nio.ByteOrder;

/** Identity of a requester for the purpose of accepting candidates. */
record ElfKind(ElfClass elfClass, ByteOrder order, int machine) {
  ElfKind(ElfInfo info) {
    this(info.elfClass(), info.byteOrder(), info.machine());
  }
}
