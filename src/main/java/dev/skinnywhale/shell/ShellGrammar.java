package dev.skinnywhale.shell;

import java.util.Map;
import java.util.Set;

/**
 * The words a script's command analysis must know: reserved words, the builtins of bash, dash and
 * BusyBox ash (never looked up on PATH), and the commands that run another command given as their
 * arguments, with the options that take a value.
 */
final class ShellGrammar {
  private ShellGrammar() {}

  static final Set<String> KEYWORDS =
      Set.of(
          "!",
          "{",
          "}",
          "case",
          "coproc",
          "do",
          "done",
          "elif",
          "else",
          "esac",
          "fi",
          "for",
          "function",
          "if",
          "in",
          "select",
          "then",
          "time",
          "until",
          "while",
          "[[",
          "]]");

  static final Set<String> BUILTINS =
      Set.of(
          ".",
          ":",
          "[",
          "alias",
          "bg",
          "bind",
          "break",
          "builtin",
          "caller",
          "cd",
          "command",
          "compgen",
          "complete",
          "compopt",
          "continue",
          "declare",
          "dirs",
          "disown",
          "echo",
          "enable",
          "eval",
          "exec",
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

  /** Builtins whose arguments may be assignments ({@code export PATH=...}). */
  static final Set<String> DECLARING = Set.of("export", "readonly", "declare", "typeset", "local");

  /** The shells whose {@code -c STRING} is a script of its own. */
  static final Set<String> SHELLS = Set.of("sh", "dash", "bash", "ash");

  /**
   * A command that runs the command its arguments name: the options that take a separate value, and
   * how many arguments come before the command.
   */
  record Runner(Set<String> valueOptions, int positionals, boolean assignments) {}

  static final Map<String, Runner> RUNNERS =
      Map.ofEntries(
          Map.entry("exec", new Runner(Set.of("-a"), 0, false)),
          Map.entry("command", new Runner(Set.of(), 0, false)),
          Map.entry("time", new Runner(Set.of(), 0, false)),
          Map.entry("nohup", new Runner(Set.of(), 0, false)),
          Map.entry("setsid", new Runner(Set.of(), 0, false)),
          Map.entry(
              "env",
              new Runner(
                  Set.of("-u", "--unset", "-C", "--chdir", "-S", "--split-string"), 0, true)),
          Map.entry("nice", new Runner(Set.of("-n", "--adjustment"), 0, false)),
          Map.entry(
              "timeout", new Runner(Set.of("-s", "--signal", "-k", "--kill-after"), 1, false)),
          Map.entry(
              "stdbuf",
              new Runner(Set.of("-i", "-o", "-e", "--input", "--output", "--error"), 0, false)),
          Map.entry(
              "xargs",
              new Runner(
                  Set.of(
                      "-a",
                      "--arg-file",
                      "-d",
                      "--delimiter",
                      "-E",
                      "-I",
                      "-L",
                      "--max-lines",
                      "-n",
                      "--max-args",
                      "-P",
                      "--max-procs",
                      "-s",
                      "--max-chars"),
                  0,
                  false)));
}
