package dev.skinnywhale.linker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The programs a shell script may run and the files it sources, read from its text without running
 * it: the words in command position (at the start of a line, after {@code ; | & ( ) { } `}, {@code
 * $(}, and after {@code if then else elif do while until ! time exec command}), assignments and
 * builtins skipped; and the word after {@code .} or {@code source}. A rough reading — quoting is
 * not interpreted, so a word in a string may count — made safe by the caller, which keeps only
 * names that are programs in the image. Words with expansions ({@code $X}) are never names.
 */
public final class ShellCommands {
  /** What a script names. */
  public record Found(Set<String> commands, Set<String> sourced) {
    public Found {
      commands = Set.copyOf(commands);
      sourced = Set.copyOf(sourced);
    }
  }

  /** Shells whose scripts are read (the interpreter's file name). */
  static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh");

  /** Builtins of dash and bash (and POSIX special builtins): never programs of the image. */
  static final Set<String> BUILTINS =
      Set.of(
          ".",
          ":",
          "[",
          "[[",
          "alias",
          "bg",
          "bind",
          "break",
          "builtin",
          "caller",
          "cd",
          "compgen",
          "complete",
          "continue",
          "declare",
          "dirs",
          "disown",
          "echo",
          "enable",
          "eval",
          "exit",
          "export",
          "false",
          "fc",
          "fg",
          "getopts",
          "hash",
          "help",
          "history",
          "jobs",
          "kill",
          "let",
          "local",
          "logout",
          "mapfile",
          "popd",
          "printf",
          "pushd",
          "pwd",
          "read",
          "readarray",
          "readonly",
          "return",
          "set",
          "shift",
          "shopt",
          "source",
          "suspend",
          "test",
          "times",
          "trap",
          "true",
          "type",
          "typeset",
          "ulimit",
          "umask",
          "unalias",
          "unset",
          "wait");

  /** Words after which the next word is in command position again (and closing keywords). */
  static final Set<String> PREFIXES =
      Set.of(
          "if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "command",
          "fi", "done", "esac", "{", "}", "]]");

  /** Words after which no command follows on this line (a loop's or case's words). */
  static final Set<String> NON_COMMAND = Set.of("for", "case", "select", "in", "function");

  private ShellCommands() {}

  /**
   * Whether the file starts like a shell script ({@code #!/bin/sh}, {@code #!/usr/bin/env bash}).
   */
  public static boolean isShellScript(ByteBuffer head) {
    Optional<Shebang> s = Shebang.parse(head);
    if (s.isEmpty()) {
      return false;
    }
    String interpreter = s.get().interpreter();
    String name = interpreter.substring(interpreter.lastIndexOf('/') + 1);
    if (s.get().isEnv()) {
      name = s.get().envProgram().map(p -> p.substring(p.lastIndexOf('/') + 1)).orElse("");
    }
    return SHELLS.contains(name);
  }

  /** The command names and sourced files of a script's text. */
  public static Found scan(String text) {
    Set<String> commands = new TreeSet<>();
    Set<String> sourced = new TreeSet<>();
    for (String line : logicalLines(text)) {
      boolean commandPosition = true;
      boolean sourceNext = false;
      for (String word : words(stripComment(line))) {
        if (word.equals(";")) {
          commandPosition = true;
          continue;
        }
        if (sourceNext) {
          if (isName(word) || isPath(word)) {
            sourced.add(word);
          }
          sourceNext = false;
          continue;
        }
        if (!commandPosition) {
          continue;
        }
        if (PREFIXES.contains(word)) {
          continue;
        }
        if (NON_COMMAND.contains(word)) {
          commandPosition = false;
          continue;
        }
        if (word.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
          continue; // VAR=value before a command
        }
        if (word.equals(".") || word.equals("source")) {
          sourceNext = true;
          commandPosition = false;
          continue;
        }
        if ((isName(word) || isPath(word)) && !BUILTINS.contains(word)) {
          commands.add(word);
        }
        commandPosition = false;
      }
    }
    return new Found(commands, sourced);
  }

  private static boolean isName(String word) {
    return word.matches("[A-Za-z0-9_][A-Za-z0-9_.+-]*");
  }

  private static boolean isPath(String word) {
    return word.matches("/[A-Za-z0-9_.+/-]+");
  }

  /** Lines with backslash-newline continuations joined. */
  private static List<String> logicalLines(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\\")) {
        cur.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      cur.append(line);
      out.add(cur.toString());
      cur.setLength(0);
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** The line up to a {@code #} that starts a word outside quotes. */
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Blank-separated words, with each command separator as its own ";" word. */
  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (";|&(){}`".indexOf(c) >= 0 || Character.isWhitespace(c)) {
        if (cur.length() > 0 && cur.charAt(cur.length() - 1) == '$' && c == '(') {
          cur.setLength(cur.length() - 1); // $( starts a command
        }
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        if (!Character.isWhitespace(c)) {
          out.add(";");
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
