package dev.skinnywhale.workflow.run;

import java.util.Optional;

/** What a build keeps besides what is traced, named by profiles or included. */
public enum KeepStrategy {
  /** The change set (as a plain slim), plus everything traced and its closure. */
  CHANGES,
  /**
   * Only what was traced, its closure, includes and profiles: the smallest image that still works.
   */
  TRACED;

  /**
   * The one place the default is decided: what the user asked for; else the change set for a
   * container; for an image, only what was traced or named by profiles when there is either, else
   * everything (an image without --base is all change set).
   */
  public static KeepStrategy choose(
      Optional<KeepStrategy> asked, Source.Kind kind, boolean traced, boolean profiles) {
    return asked.orElse(kind == Source.Kind.IMAGE && (traced || profiles) ? TRACED : CHANGES);
  }
}
