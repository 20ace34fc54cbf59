package dev.skinnywhale.tracelog;

/**
 * Thrown by the lexers and value decoders, which do not know where the line came from; the parsers
 * turn it into a {@link TraceLogException} with the source name and line number.
 */
final class SyntaxError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SyntaxError(String reason) {
    super(reason, null, false, false);
  }
}
