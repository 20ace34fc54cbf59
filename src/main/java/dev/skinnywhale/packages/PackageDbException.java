package dev.skinnywhale.packages;

/**
 * A package database of the image cannot be read: malformed, or larger than a budget allows. The
 * message names the file and, where there is one, the line.
 */
public final class PackageDbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  /**
   * @param file the database file, as a path in the image
   * @param line 1-based line number, or 0 when the problem is not on one line
   * @param problem what is wrong
   */
  public PackageDbException(String file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when the problem is not on one line. */
  public int line() {
    return line;
  }
}
