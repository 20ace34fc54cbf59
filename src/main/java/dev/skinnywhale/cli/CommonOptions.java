package dev.skinnywhale.cli;

import picocli.CommandLine.Option;

/** Options every command has. */
public final class CommonOptions {
  @Option(
      names = "--debug",
      description = "Print every step and every kept file (env DEBUG=1 too).")
  boolean debug;

  @Option(names = "--stacktrace", hidden = true, description = "Print stack traces of errors.")
  boolean stacktrace;
}
