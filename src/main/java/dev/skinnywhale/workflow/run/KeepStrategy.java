package dev.skinnywhale.workflow.run;

import java.util.Optional;

/** What a build keeps besides what is traced, named by profiles or included. */
public enum KeepStrategy {
  /** The change set (as a plain slim), plus everything {@link #PACKAGES} keeps. */
  CHANGES,
  /**
   * Only what was traced, its closure, includes and profiles (and, as in every strategy, the user's
   * own files, the change set's directories and the runtime basics): the smallest image.
   */
  TRACED,
  /**
   * {@link #TRACED}, plus every file of the packages that own a kept file, of the packages the user
   * installed, and of what those depend on — but for the distribution's essential core, kept at
   * file level. As {@link #TRACED} when the image has no package database.
   */
  PACKAGES;

  /** Which command builds. */
  public enum Use {
    /** The plain (static) slim. */
    SLIM,
    /** {@code build --profile}. */
    BUILD,
    /** {@code trace}. */
    TRACE
  }

  /**
   * The one place the default is decided: what the user asked for; else {@link #PACKAGES} for
   * {@code trace} and {@code build}; for the plain slim, the change set for a container, and for an
   * image only what profiles name when it is given some, else everything (an image without --base
   * is all change set).
   */
  public static KeepStrategy choose(
      Optional<KeepStrategy> asked, Source.Kind kind, Use use, boolean profiles) {
    if (asked.isPresent()) {
      return asked.get();
    }
    if (use != Use.SLIM) {
      return PACKAGES;
    }
    return kind == Source.Kind.IMAGE && profiles ? TRACED : CHANGES;
  }
}
