package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.packages.ApkReader;
import dev.skinnywhale.packages.DpkgReader;
import dev.skinnywhale.packages.PackageDb;
import dev.skinnywhale.packages.PackageDbException;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.Optional;

/**
 * The image's package database (dpkg's, else apk's), read from its filesystem and mapped onto it;
 * empty when the image has none. Nothing of the image runs.
 */
public record ReadPackages(Run run) {
  /** Where the package databases this reads lie (dpkg's, apk's). */
  public static final java.util.List<String> DATABASES =
      java.util.List.of("/var/lib/dpkg", "/lib/apk/db");

  /**
   * @param required whether the build cannot do without it (--keep packages): a database that
   *     cannot be read is then an error naming the file and line; otherwise a warning, and the
   *     build goes on without it
   */
  public Optional<PackageIndex> read(RootFs fs, Source source, boolean required) {
    return run.steps()
        .run(
            "packages",
            "reading the package database",
            () -> {
              try {
                // one batch for what the readers open (a no-op for an exported filesystem)
                try {
                  for (String dir : DATABASES) {
                    fs.prefetchTree(dir);
                  }
                } catch (java.io.IOException e) {
                  // each file is then fetched as it is read, and a failure said there
                }
                Optional<PackageDb> db = new DpkgReader().read(fs);
                if (db.isEmpty()) {
                  db = new ApkReader().read(fs);
                }
                Optional<PackageIndex> index = db.map(d -> PackageIndex.of(d, fs));
                index.ifPresent(
                    i ->
                        run.reporter()
                            .debug(
                                i.db().kind().name().toLowerCase(java.util.Locale.ROOT)
                                    + " database: "
                                    + i.db().packages().size()
                                    + " packages"));
                return index;
              } catch (PackageDbException e) {
                String what =
                    "the package database of "
                        + source.reference()
                        + " is unusable: "
                        + e.getMessage();
                if (required) {
                  throw new UnusableInputException(what, e);
                }
                run.reporter().warn(what + "; going on without it");
                return Optional.<PackageIndex>empty();
              }
            });
  }
}
