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
   * A file of a package that owns a kept file, of a package the user asked for (installed by hand,
   * or --include-package), or of one those depend on (--keep packages).
   */
  PACKAGE,
  /**
   * The user's own file: in the change set (or, for an image without --base, in no package) and not
   * the package manager's state, a cache or a log.
   */
  USER_FILE,
  /** A directory of the change set, kept (empty where its files are not) in every strategy. */
  CHANGE_SET_DIR,
  /**
   * What every program expects of its system: the user and group databases, nsswitch.conf, the
   * loader's cache and configuration, the C.UTF-8 locale, the local time zone, /tmp and /var/tmp.
   */
  BASICS,
  /** The package database, pruned to what the slim image keeps. */
  PACKAGE_DB,
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
