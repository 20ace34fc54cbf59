package dev.skinnywhale.image;

/**
 * An image archive, layout or registry answer is malformed or untrustworthy: a missing blob, a
 * digest that does not match, a layer entry escaping the root. The message names the blob.
 */
public final class ImageFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
