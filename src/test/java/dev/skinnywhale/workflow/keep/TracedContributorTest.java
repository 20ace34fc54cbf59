package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.workflow.keep.TraceFixture.FS;
import static dev.skinnywhale.workflow.keep.TraceFixture.LOG;
import static dev.skinnywhale.workflow.keep.TraceFixture.parse;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.steps.InterpretTraces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which traced paths are kept. */
class TracedContributorTest {
  @Test
  void addTraced_keepsWhatExistedAndWasFound() throws Exception {
    KeepPlan.Builder plan = KeepPlan.builder();
    TracedPaths traced =
        TracedPaths.resolve(
            FS, List.of(parse(LOG)), List.of(), List.of("/usr/bin"), InterpretTraces.IGNORED_ROOTS);
    new TracedContributor().contribute(TraceFixture.snapshot(FS, traced), plan, TraceFixture.QUIET);
    Map<String, KeepEntry> entries = plan.build().entries();

    assertTrue(
        entries
            .get("/usr/lib/x86_64-linux-gnu/libnss_files.so.2")
            .reasons()
            .contains(Reason.TRACED));
    assertTrue(entries.get("/lib").reasons().contains(Reason.SYMLINK_HOP), "usrmerge hop not kept");
    assertTrue(entries.containsKey("/etc/nsswitch.conf"));
    assertTrue(entries.containsKey("/usr/bin/java"));
    assertFalse(
        entries.get("/etc/ssl").recursive(), "a listed directory must not bring its contents");
    assertFalse(entries.containsKey("/etc/ssl/big-unread.pem"));
    assertFalse(entries.containsKey("/etc/missing.conf"), "a failed lookup was kept");
    assertFalse(entries.containsKey("/proc/self/maps"), "/proc was kept");
    assertFalse(entries.containsKey("/tmp/made-by-probe"), "a file made by the probe was kept");
    assertFalse(entries.keySet().stream().anyMatch(p -> p.startsWith("/.skinnywhale-probe")));
    assertFalse(entries.get("/var/log/app").recursive(), "the directory a file was made in");
    assertFalse(entries.containsKey("/var/log/app/old.log"));
  }
}
