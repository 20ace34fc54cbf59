package dev.skinnywhale.elf;

/**
 * A file that is not ELF or whose ELF structures are broken; the message names offset and
 * structure.
 */
public final class ElfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ElfFormatException(String message) {
    super(message);
  }
}
