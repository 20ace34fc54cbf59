package dev.skinnywhale.trace;

/** How a probe run saw what the command used. */
public enum TracerKind {
  /** Our static ptrace tracer: every path syscall, files and libraries. */
  PTRACE,
  /** The dynamic linker's LD_DEBUG output: loaded libraries only. */
  LD_DEBUG,
  /** Not traced (a verification run). */
  NONE
}
