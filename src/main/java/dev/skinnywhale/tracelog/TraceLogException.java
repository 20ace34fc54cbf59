package dev.skinnywhale.tracelog;

/** A log line that matches no grammar this package reads, with where it was. */
public final class TraceLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_TEXT = 300;

  private final String source;
  private final int line;
  private final String text;

  public TraceLogException(String source, int line, String text, String reason) {
    super(source + ":" + line + ": " + reason + ": " + abbreviate(text));
    this.source = source;
    this.line = line;
    this.text = text;
  }

  /** The file (or other source name) the line came from. */
  public String source() {
    return source;
  }

  /** The 1-based line number. */
  public int line() {
    return line;
  }

  /** The full text of the line. */
  public String text() {
    return text;
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
  }
}
