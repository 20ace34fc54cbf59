package dev.skinnywhale.linker;

import java.util.Objects;

/** A file that could not be used: an ELF file that failed to parse, an unreadable cache, … */
public record BrokenFile(String path, String reason) {
  public BrokenFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }
}
