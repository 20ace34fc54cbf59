package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.RecordingReporter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The change set, less package caches, logs and docs unless asked for. */
class ChangeSetContributorTest {
  static final RootFs FS =
      RootFs.of(
          List.of(
              file("/usr/bin/app"),
              new FsNode.Directory("/var/cache/apt", NodeMeta.of(0755)),
              file("/var/cache/apt/pkgcache.bin"),
              new FsNode.Directory("/var/log/app", NodeMeta.of(0755)),
              file("/var/log/app/old.log"),
              file("/usr/share/doc/app/README"),
              file("/usr/share/man/man1/app.1")));
  static final SortedSet<String> CHANGES = new TreeSet<>(FS.nodes().map(FsNode::path).toList());

  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void contribute_defaultExcludes_dropCachesLogsDocsButKeepTheirDirectories() {
    KeepPlan plan = contribute(new ChangeSetContributor(true, List.of()));
    Set<String> kept = plan.entries().keySet();
    assertTrue(kept.contains("/usr/bin/app"));
    assertTrue(kept.contains("/var/cache/apt"), "a cache directory was dropped");
    assertTrue(kept.contains("/var/log/app"), "a log directory was dropped");
    for (String dropped :
        List.of(
            "/var/cache/apt/pkgcache.bin",
            "/var/log/app/old.log",
            "/usr/share/doc/app/README",
            "/usr/share/man/man1/app.1")) {
      assertFalse(kept.contains(dropped), dropped);
    }
    for (KeepEntry e : plan.entries().values()) {
      assertEquals(Set.of(Reason.CHANGE_SET), e.reasons(), e.path());
      assertFalse(e.recursive(), e.path());
    }
    assertEquals(
        List.of(
            CHANGES.size()
                + " paths in the change set, "
                + kept.size()
                + " after the default excludes"),
        reporter.debugs);
  }

  @Test
  void contribute_includeBeatsTheDefaultExcludes() {
    KeepPlan plan =
        contribute(
            new ChangeSetContributor(true, List.of("/usr/share/doc/app", "/var/log/*/*.log")));
    Set<String> kept = plan.entries().keySet();
    assertTrue(kept.contains("/usr/share/doc/app/README"));
    assertTrue(kept.contains("/var/log/app/old.log"));
    assertFalse(kept.contains("/usr/share/man/man1/app.1"));
  }

  @Test
  void contribute_defaultExcludesOff_everything() {
    assertEquals(
        CHANGES, contribute(new ChangeSetContributor(false, List.of())).entries().keySet());
  }

  @Test
  void contribute_noChangeSetTaken_illegalState() {
    KeepPlan.Builder plan = KeepPlan.builder();
    Snapshot snapshot =
        new Snapshot(FS, TraceFixture.source(), Optional.empty(), TracedPaths.none());
    assertThrows(
        IllegalStateException.class,
        () -> new ChangeSetContributor(true, List.of()).contribute(snapshot, plan, reporter));
  }

  private KeepPlan contribute(ChangeSetContributor contributor) {
    KeepPlan.Builder plan = KeepPlan.builder();
    Snapshot snapshot =
        new Snapshot(FS, TraceFixture.source(), Optional.of(CHANGES), TracedPaths.none());
    contributor.contribute(snapshot, plan, reporter);
    return plan.build();
  }
}
