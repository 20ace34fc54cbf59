package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;

/** What a regular file of the image is, as far as the loader and the kernel care. */
sealed interface FileContent {
  record Elf(ElfInfo info) implements FileContent {}

  record Script(Shebang shebang) implements FileContent {}

  record Other() implements FileContent {}

  record Broken(String reason) implements FileContent {}
}
