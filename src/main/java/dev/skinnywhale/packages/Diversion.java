package dev.skinnywhale.packages;

import java.util.Objects;

/**
 * A dpkg diversion: files that packages ship as {@code from} are put at {@code to} instead, except
 * those of the diverting package itself.
 *
 * @param from the diverted path
 * @param to where other packages' file of that name goes
 * @param byPackage the package that diverts it, or ":" for a local diversion (no package excepted)
 */
public record Diversion(String from, String to, String byPackage) {
  public Diversion {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(byPackage, "byPackage");
  }

  /** Whether the file {@code packageName} ships at {@code from} is put at {@code to}. */
  public boolean appliesTo(String packageName) {
    return byPackage.equals(":") || !byPackage.equals(packageName);
  }
}
