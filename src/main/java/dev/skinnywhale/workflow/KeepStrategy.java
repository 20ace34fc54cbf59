package dev.skinnywhale.workflow;

/** What a traced build keeps besides what the probe used. */
public enum KeepStrategy {
  /** The change set (as a plain slim), plus everything traced and its closure. */
  CHANGES,
  /**
   * Only what was traced, its closure, includes and profiles: the smallest image that still works.
   */
  TRACED
}
