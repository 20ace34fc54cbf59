package dev.skinnywhale.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as OCI writes them: {@code sha256:<64 hex>}, the only algorithm we accept. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String of(byte[] bytes) {
    return format(sha256().digest(bytes));
  }

  public static String format(byte[] sha256) {
    return "sha256:" + HexFormat.of().formatHex(sha256);
  }

  /** Whether {@code digest} is a well-formed sha256 digest (so it can name a file safely). */
  public static boolean isValid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** The digest itself, checked; what it names is only trusted after this. */
  public static String check(String digest, String what) {
    if (!isValid(digest)) {
      throw new ImageFormatException(
          what + ": not a sha256 digest: \"" + (digest == null ? "" : printable(digest)) + "\"");
    }
    return digest;
  }

  /** The 64 hex digits. */
  public static String hex(String digest) {
    return digest.substring("sha256:".length());
  }

  /** The first 12 hex digits, as the engine shows image ids. */
  public static String shortHex(String digest) {
    return hex(digest).substring(0, 12);
  }

  static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}
