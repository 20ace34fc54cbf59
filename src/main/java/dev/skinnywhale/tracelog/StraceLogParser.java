package dev.skinnywhale.tracelog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads logs in strace's format (our tracer's, and strace's own with or without {@code -f}, {@code
 * -o}, {@code -y}) into an {@link AccessSet}: lexer, then stitcher, then interpreter. A line that
 * matches no grammar throws {@link TraceLogException}; syscalls the interpreter does not know are
 * counted in {@link AccessSet#unknownSyscalls()}. Stateless: every parse starts afresh.
 */
public final class StraceLogParser {

  public AccessSet parse(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      return parse(file.toString(), reader);
    }
  }

  /**
   * Reads {@code reader} to its end, line by line (a line longer than 1 MiB is an error); {@code
   * sourceName} names it in errors.
   */
  public AccessSet parse(String sourceName, Reader reader) throws IOException {
    return parse(sourceName, reader, LineBudget.perRun());
  }

  /** As {@link #parse(String, Reader)}, each line counted against {@code budget}. */
  public AccessSet parse(String sourceName, Reader reader, LineBudget budget) throws IOException {
    StraceLexer lexer = new StraceLexer();
    SyscallStitcher stitcher = new SyscallStitcher(lexer);
    AccessSetBuilder out = new AccessSetBuilder();
    PathInterpreter interpreter = new PathInterpreter(out);
    LogLines lines = new LogLines(sourceName, reader, budget);
    Optional<String> carried = Optional.empty();
    for (String line = lines.next(); line != null; line = lines.next()) {
      try {
        if (carried.isPresent()) {
          // the rest of a line cut by an strace message, or else a new line
          Optional<TraceLine> joined = tryLex(lexer, carried.get() + line);
          carried = Optional.empty();
          if (joined.isPresent()) {
            stitcher.accept(joined.get()).ifPresent(interpreter::accept);
            continue;
          }
        }
        carried = lexer.beforeGluedMessage(line);
        if (carried.isPresent()) {
          continue;
        }
        Optional<TraceLine> lexed = lexer.lex(line);
        if (lexed.isPresent()) {
          stitcher.accept(lexed.get()).ifPresent(interpreter::accept);
        }
      } catch (SyntaxError e) {
        throw new TraceLogException(sourceName, lines.number(), line, e.getMessage());
      }
    }
    return out.build();
  }

  private static Optional<TraceLine> tryLex(StraceLexer lexer, String line) {
    try {
      return lexer.lex(line);
    } catch (SyntaxError e) {
      return Optional.empty();
    }
  }
}
