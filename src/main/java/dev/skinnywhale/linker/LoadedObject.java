package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import java.util.List;

/**
 * An object of a process being resolved: its real path, what it is, its {@code $ORIGIN}, and the
 * inherited search path (glibc's DT_RPATH chain, musl's RPATH/RUNPATH chain) it searches with.
 */
record LoadedObject(String realPath, ElfInfo info, String origin, List<String> chain) {
  LoadedObject {
    chain = List.copyOf(chain);
  }

  LoadedObject withChain(List<String> c) {
    return new LoadedObject(realPath, info, origin, c);
  }

  /**
   * What makes two objects of one process search alike: the same file, found by the same directory,
   * with the same inherited chain.
   */
  List<Object> key() {
    return List.of(realPath, origin, chain);
  }
}
