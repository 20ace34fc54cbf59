package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.linker.TestFs;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.keep.TraceFixture;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keep-plan: contributors in order, then the closure of everything they kept. */
class PlanTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";
  static final RootFs FS =
      new TestFs()
          .debianBase()
          .elf(LIBDIR + "/libfoo.so.1", lib())
          .elf(LIBDIR + "/libbar.so.1", lib())
          .elf(LIBDIR + "/libunused.so.1", lib())
          .elf("/usr/bin/app", program("libfoo.so.1"))
          .elf("/usr/bin/tool", program("libbar.so.1"))
          .text("/etc/app.conf", "x")
          .build();

  final RecordingReporter reporter = new RecordingReporter();
  Run run;

  @BeforeEach
  void open() throws Exception {
    run = Run.open(new FakeEngine(), reporter, CLOCK);
  }

  @AfterEach
  void close() {
    run.close();
  }

  @Test
  void make_contributorsInOrderOnOnePlan() {
    List<String> ran = new ArrayList<>();
    KeepContributor first =
        (snapshot, plan, r) -> {
          ran.add("first saw " + plan.build().entries().keySet());
          plan.add("/etc/app.conf", Reason.CHANGE_SET);
        };
    KeepContributor second =
        (snapshot, plan, r) -> {
          ran.add("second saw " + plan.build().entries().keySet());
          plan.add("/etc/app.conf", Reason.INCLUDE);
        };
    Plan.Planned planned = new Plan(run).make(snapshot(), List.of(first, second), closure());
    assertEquals(List.of("first saw []", "second saw [/etc/app.conf]"), ran);
    assertEquals(
        Set.of(Reason.CHANGE_SET, Reason.INCLUDE),
        planned.plan().entries().get("/etc/app.conf").reasons());
    assertEquals(1, planned.changeSetSize());
  }

  @Test
  void make_closureResolvedAfterEveryContributorAndItsLibrariesAdded() {
    KeepContributor app = (snapshot, plan, r) -> plan.add("/usr/bin/app", Reason.CHANGE_SET);
    KeepContributor tool = (snapshot, plan, r) -> plan.add("/usr/bin/tool", Reason.INCLUDE);
    Plan.Planned planned = new Plan(run).make(snapshot(), List.of(app, tool), closure());

    Map<String, KeepEntry> entries = planned.plan().entries();
    for (String library : List.of("libfoo.so.1", "libbar.so.1", "ld-linux-x86-64.so.2")) {
      KeepEntry e = entries.get(LIBDIR + "/" + library);
      assertTrue(e != null && e.reasons().contains(Reason.STATIC_CLOSURE), library + ": " + e);
    }
    assertFalse(entries.containsKey(LIBDIR + "/libunused.so.1"));
    assertTrue(
        planned.closure().dependencies().stream()
            .map(Dependency::neededBy)
            .toList()
            .contains("/usr/bin/tool"),
        "the closure did not see what the last contributor kept");
    assertTrue(run.steps().timings().containsKey("resolve"));
    assertEquals(List.of("resolving shared libraries"), reporter.steps);
  }

  @Test
  void make_nothingToKeep_unusableInputAndNoClosure() {
    KeepContributor none = (snapshot, plan, r) -> {};
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> new Plan(run).make(snapshot(), List.of(none), closure()));
    assertTrue(e.getMessage().startsWith("nothing to keep"), e.getMessage());
    assertFalse(run.steps().timings().containsKey("resolve"));
  }

  private static Snapshot snapshot() {
    return TraceFixture.snapshot(FS, TracedPaths.none());
  }

  private static ClosureContributor closure() {
    return new ClosureContributor();
  }
}
