package dev.skinnywhale.linker;

/**
 * An {@code /etc/ld.so.cache} that cannot be read; the message names the offset and the structure.
 */
public final class LdSoCacheFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public LdSoCacheFormatException(String message) {
    super(message);
  }
}
