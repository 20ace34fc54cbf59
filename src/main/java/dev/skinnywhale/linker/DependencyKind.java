package dev.skinnywhale.linker;

/** Why a file is part of a closure. */
public enum DependencyKind {
  /** The PT_INTERP of an executed program: the dynamic linker. */
  INTERPRETER,
  /** A DT_NEEDED entry. */
  NEEDED,
  /** The {@code #!} interpreter of a script, or the program {@code /usr/bin/env} runs for it. */
  SCRIPT_INTERPRETER
}
