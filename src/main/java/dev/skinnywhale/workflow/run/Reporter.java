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

  /**
   * A warning that may repeat many times for one image ({@code kind} says what they share: "library
   * not found"): the reporter may show only the first ones of each kind and how many more there
   * were.
   */
  default void warn(String kind, String message) {
    warn(message);
  }

  /** The run is over: say what {@link #warn(String, String)} left out. */
  default void finish() {}

  /** Detail shown only with --debug. */
  void debug(String message);
}
