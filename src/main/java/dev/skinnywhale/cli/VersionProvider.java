package dev.skinnywhale.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"skinnywhale " + (v == null ? "(development build)" : v)};
  }
}
