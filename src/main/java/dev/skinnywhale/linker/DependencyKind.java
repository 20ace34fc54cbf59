package dev.skinnywhale.linker;

/** Why a file is part of a closure. */
public enum DependencyKind {
  /** The PT_INTERP of an executed program: the dynamic linker. */
  INTERPRETER,
  /** A DT_NEEDED entry. */
  NEEDED,
  /** The {@code #!} interpreter of a script, or the program {@code /usr/bin/env} runs for it. */
  SCRIPT_INTERPRETER,
  /**
   * A library name among the string literals of an object that imports {@code dlopen}, found where
   * the object's own DT_NEEDED entries would be; a candidate only (nothing says it is loaded).
   */
  DLOPEN_LITERAL
}
