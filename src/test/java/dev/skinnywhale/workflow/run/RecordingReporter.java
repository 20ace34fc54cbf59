package dev.skinnywhale.workflow.run;

import java.util.ArrayList;
import java.util.List;

/**
 * A reporter that keeps what it was told, by kind and in order, for tests to check (from several
 * threads too: a signal hook and the run).
 */
public final class RecordingReporter implements Reporter {
  public final List<String> steps = new ArrayList<>();
  public final List<String> infos = new ArrayList<>();
  public final List<String> warnings = new ArrayList<>();
  public final List<String> debugs = new ArrayList<>();

  /** Every message, as "kind: message", in the order reported. */
  public final List<String> all = new ArrayList<>();

  @Override
  public synchronized void step(String message) {
    steps.add(message);
    all.add("step: " + message);
  }

  @Override
  public synchronized void info(String message) {
    infos.add(message);
    all.add("info: " + message);
  }

  @Override
  public synchronized void warn(String message) {
    warnings.add(message);
    all.add("warn: " + message);
  }

  @Override
  public synchronized void debug(String message) {
    debugs.add(message);
    all.add("debug: " + message);
  }
}
