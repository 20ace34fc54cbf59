package dev.skinnywhale.assemble;

/** Why a path is kept in the slim image. */
public enum Reason {
  /** Added or changed by the container, versus its image. */
  CHANGE_SET,
  /** In the shared-library closure of a kept ELF file. */
  STATIC_CLOSURE,
  /** Accessed while smoke commands ran under the tracer. */
  TRACED,
  /** A symlink passed on the way to a kept path, or what a kept symlink points to. */
  SYMLINK_HOP,
  /** An ancestor directory of a kept path. */
  PARENT,
  /** Named by the user with --include. */
  INCLUDE,
  /** Named by a profile. */
  PROFILE,
  /** Copied wholesale by --brute-lib / --brute-usr-lib. */
  BRUTE,
  /**
   * Needed by the image config itself: the entrypoint (or command) program, the working directory,
   * and the user database when the config names a user by name.
   */
  CONFIG,
  /**
   * A command a kept shell script runs (found on the image's PATH), or a file it sources; also the
   * commands of the {@code sh -c} strings of the image config.
   */
  SCRIPT,
  /**
   * Named by a profile with symbol markers that a kept ELF file imports: what that symbol loads at
   * run time ({@code iconv_open}: gconv modules; {@code getaddrinfo}: NSS).
   */
  SYMBOL_NEED,
  /**
   * A library whose name is a string literal of a kept object that imports {@code dlopen}, found
   * where that object's own libraries would be.
   */
  DLOPEN_LITERAL
}
