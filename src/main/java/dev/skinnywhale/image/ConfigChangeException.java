package dev.skinnywhale.image;

/**
 * A {@code --change} instruction that cannot be parsed or applied: the message names the
 * instruction and says why, as {@code docker commit} would.
 */
public final class ConfigChangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigChangeException(String instruction, String reason) {
    super("--change '" + abbreviate(instruction) + "': " + reason);
  }

  private static String abbreviate(String text) {
    String one = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return one.length() <= 120 ? one : one.substring(0, 117) + "...";
  }
}
