package dev.skinnywhale.workflow.run;

/** Where a workflow reports progress and problems; the command decides how they are shown. */
public interface Reporter {
  /** A step has started ("exporting the filesystem"). */
  void step(String message);

  /**
   * A fact about the result the user should see even with --json ("picked profiles jvm, tzdata").
   */
  void info(String message);

  /** Something the user should see but that does not stop the run. */
  void warn(String message);

  /** Detail shown only with --debug. */
  void debug(String message);
}
