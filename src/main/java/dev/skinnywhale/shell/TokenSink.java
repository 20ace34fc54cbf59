package dev.skinnywhale.shell;

/**
 * Receives what {@link ShellLexer} reads, in order: words, operators, and the command lists nested
 * in words ({@code $(...)}, backquotes, {@code <(...)}, substitutions in here-documents), which
 * arrive between {@link #enterNested} and {@link #exitNested} before the word that holds them.
 */
interface TokenSink {
  void word(Word word);

  /**
   * An operator: {@code \n ; & && || | |& ( ) ;; ;& ;;&}, a redirection ({@code < > >> <& >& <> >|
   * &> &>> <<< << <<-}), or {@code (())} for an arithmetic command.
   */
  void operator(String op, int line);

  void enterNested(int line);

  void exitNested();
}
