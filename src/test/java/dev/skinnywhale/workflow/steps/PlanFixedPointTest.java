package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.packages.DbFixture;
import dev.skinnywhale.packages.DpkgReader;
import dev.skinnywhale.packages.PackageIndex;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.keep.ClosureContributor;
import dev.skinnywhale.workflow.keep.KeepContributor;
import dev.skinnywhale.workflow.keep.PackagesContributor;
import dev.skinnywhale.workflow.keep.Snapshot;
import dev.skinnywhale.workflow.keep.TraceFixture;
import dev.skinnywhale.workflow.run.Run;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The plan step: closure and expansion in turn until the plan settles. */
class PlanFixedPointTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";

  /**
   * The probe ran /usr/bin/app, which needs libplug (package libplug); libplug's package also has a
   * module that needs libextra (package libextra), which ships a data file: only a fixed point of
   * closure and expansion reaches that data file.
   */
  @Test
  void make_keptFileBringsItsClosure_andThatClosuresPackages_toAFixedPoint() throws Exception {
    byte[] ld = ElfFixture.x86_64().soname("ld-linux-x86-64.so.2").bytes();
    RootFs fs =
        DbFixture.usrMerged()
            .file(LIB + "/ld-linux-x86-64.so.2", ld, 0755)
            .file(
                "/usr/bin/app",
                ElfFixture.x86_64()
                    .interpreter(LIB + "/ld-linux-x86-64.so.2")
                    .needed("libplug.so.1")
                    .bytes(),
                0755)
            .file(LIB + "/libplug.so.1", ElfFixture.x86_64().soname("libplug.so.1").bytes(), 0644)
            .file(LIB + "/plug/extra.so", ElfFixture.x86_64().needed("libextra.so.1").bytes(), 0644)
            .file(LIB + "/libextra.so.1", ElfFixture.x86_64().soname("libextra.so.1").bytes(), 0644)
            .file("/usr/share/extra/data.txt", "data")
            .dpkg("app", "amd64", "", "/usr/bin/app")
            .dpkg(
                "libplug",
                "amd64",
                "",
                "/lib/x86_64-linux-gnu/libplug.so.1",
                "/lib/x86_64-linux-gnu/plug/extra.so")
            .dpkg(
                "libextra",
                "amd64",
                "",
                "/lib/x86_64-linux-gnu/libextra.so.1",
                "/usr/share/extra/data.txt")
            .auto("app", "amd64")
            .auto("libplug", "amd64")
            .auto("libextra", "amd64")
            .fs();
    Snapshot snapshot =
        new Snapshot(
            fs,
            TraceFixture.source(),
            Optional.of(new TreeSet<>()),
            TracedPaths.none(),
            new DpkgReader().read(fs).map(db -> PackageIndex.of(db, fs)),
            true);
    KeepContributor traced = (s, plan, r) -> plan.add("/usr/bin/app", Reason.TRACED);
    try (Run run = Run.open(new FakeEngine(), TraceFixture.QUIET, Clock.systemUTC())) {
      KeepPlan plan =
          new Plan(run)
              .make(
                  snapshot,
                  List.of(traced, new PackagesContributor(true, false, List.of(), List.of())),
                  new ClosureContributor())
              .plan();
      Map<String, KeepEntry> kept = plan.entries();
      assertTrue(kept.get(LIB + "/libplug.so.1").reasons().contains(Reason.STATIC_CLOSURE));
      assertTrue(kept.get(LIB + "/plug/extra.so").reasons().contains(Reason.PACKAGE));
      assertTrue(
          kept.get(LIB + "/libextra.so.1").reasons().contains(Reason.STATIC_CLOSURE),
          "the closure of a file the expansion kept");
      assertTrue(
          kept.get("/usr/share/extra/data.txt").reasons().contains(Reason.PACKAGE),
          "the package of that closure: " + kept.keySet());
    }
  }
}
