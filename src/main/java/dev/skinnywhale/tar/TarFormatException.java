package dev.skinnywhale.tar;

import java.io.IOException;

/** A tar stream that is malformed, truncated, or names something outside its root. */
public final class TarFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public TarFormatException(String message) {
    super(message);
  }
}
