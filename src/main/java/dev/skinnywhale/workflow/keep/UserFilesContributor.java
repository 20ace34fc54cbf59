package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Reason#USER_FILE}, in every strategy: the files the user put there — the app jar, script
 * or data under /opt that no package owns — which no smoke command may open before the image's own
 * CMD needs them. A file of the change set (or, for an image without --base, any file) that no
 * package owns and that is not the package manager's state, a cache, a log (or, with the default
 * excludes, docs). Files generated for packages (Python byte code next to a package's source) count
 * as that package's.
 */
public final class UserFilesContributor implements KeepContributor {
  private final boolean defaultExcludes;

  public UserFilesContributor(boolean defaultExcludes) {
    this.defaultExcludes = defaultExcludes;
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    var candidates = UserContent.candidates(snapshot);
    if (candidates.isEmpty()) {
      reporter.debug(
          "the user's own files cannot be told: an image without --base and without a package"
              + " database");
      return;
    }
    Optional<PackageIndex> index = snapshot.packages();
    AtomicInteger kept = new AtomicInteger();
    candidates
        .get()
        .forEach(
            path -> {
              Optional<FsNode> node = snapshot.fs().get(path);
              if (node.isEmpty()
                  || node.get() instanceof FsNode.Directory
                  || UserContent.isState(path, defaultExcludes)
                  || index.map(i -> !i.owners(path).isEmpty()).orElse(false)) {
                return;
              }
              plan.add(path, Reason.USER_FILE);
              kept.incrementAndGet();
            });
    reporter.debug(kept.get() + " files of the user's own (in no package)");
  }
}
