package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.LdSoCacheFixture;
import dev.skinnywhale.linker.TestFs;
import dev.skinnywhale.linker.Unresolved;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.RecordingReporter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The static closure of what the plan keeps, with its hops and the loader's configuration. */
class ClosureContributorTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";

  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void resolve_librariesAndInterpreterWithTheirHops() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf(LIBDIR + "/libfoo.so.1", lib("libc.so.6"))
            .elf(LIBDIR + "/libunused.so.1", lib())
            .elf("/usr/bin/app", program("libfoo.so.1"))
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/app", Reason.CHANGE_SET);
    Closure closure = resolve(fs, plan);

    Map<String, KeepEntry> entries = plan.build().entries();
    for (String library :
        List.of(LIBDIR + "/libfoo.so.1", LIBDIR + "/libc.so.6", LIBDIR + "/ld-linux-x86-64.so.2")) {
      assertEquals(Set.of(Reason.STATIC_CLOSURE), entries.get(library).reasons(), library);
    }
    for (String hop : List.of("/lib", "/lib64", "/usr/lib64/ld-linux-x86-64.so.2")) {
      assertTrue(entries.get(hop).reasons().contains(Reason.SYMLINK_HOP), hop);
    }
    assertFalse(entries.containsKey(LIBDIR + "/libunused.so.1"));
    assertFalse(entries.containsKey("/etc/ld.so.cache"), "no cache in this image");
    assertEquals(List.of(), closure.unresolved());
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void resolve_imageWithALoaderCache_cacheKeptAndALibraryOnlyItFindsResolved() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file(
                "/etc/ld.so.cache",
                new LdSoCacheFixture()
                    .add("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", LdSoCacheFixture.X86_64)
                    .add("libopt.so.1", "/opt/lib/libopt.so.1", LdSoCacheFixture.X86_64)
                    .newFormat())
            .elf("/opt/lib/libopt.so.1", lib())
            .elf("/usr/bin/app", program("libopt.so.1", "libc.so.6"))
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/app", Reason.CHANGE_SET);
    resolve(fs, plan);
    Map<String, KeepEntry> entries = plan.build().entries();
    assertEquals(Set.of(Reason.STATIC_CLOSURE), entries.get("/etc/ld.so.cache").reasons());
    assertEquals(Set.of(Reason.STATIC_CLOSURE), entries.get("/opt/lib/libopt.so.1").reasons());
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void resolve_muslPathFile_kept() {
    RootFs fs =
        new TestFs()
            .text("/etc/ld-musl-x86_64.path", "/lib\n/usr/lib\n")
            .elf("/lib/ld-musl-x86_64.so.1", lib())
            .elf("/usr/lib/libz.so.1", lib())
            .elf("/usr/bin/app", lib("libz.so.1").type(3).interpreter("/lib/ld-musl-x86_64.so.1"))
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/app", Reason.CHANGE_SET);
    resolve(fs, plan);
    Map<String, KeepEntry> entries = plan.build().entries();
    assertTrue(entries.containsKey("/usr/lib/libz.so.1"), entries.toString());
    assertEquals(Set.of(Reason.STATIC_CLOSURE), entries.get("/etc/ld-musl-x86_64.path").reasons());
  }

  @Test
  void resolve_nothingDynamic_noLoaderConfig() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .file("/etc/ld.so.cache", new byte[0])
            .text("/etc/app.conf", "x")
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/etc/app.conf", Reason.CHANGE_SET);
    Closure closure = resolve(fs, plan);
    assertEquals(List.of(), closure.dependencies());
    assertEquals(Set.of("/etc/app.conf"), plan.build().entries().keySet());
  }

  @Test
  void resolve_rootsOfRecursiveEntriesAndThroughSymlinkedDirectories() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf(LIBDIR + "/libfoo.so.1", lib())
            .elf(LIBDIR + "/libbar.so.1", lib())
            .elf("/opt/app/bin/app", program("libfoo.so.1"))
            .link("/usr/bin/tool", "/opt/app/bin/tool")
            .elf("/opt/app/bin/tool", program("libbar.so.1"))
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().addRecursive("/opt/app", Reason.INCLUDE);
    KeepPlan.Builder viaLink = KeepPlan.builder().add("/usr/bin/tool", Reason.CONFIG);
    resolve(fs, plan);
    resolve(fs, viaLink);
    assertTrue(plan.build().entries().containsKey(LIBDIR + "/libfoo.so.1"));
    assertTrue(plan.build().entries().containsKey(LIBDIR + "/libbar.so.1"));
    assertTrue(viaLink.build().entries().containsKey(LIBDIR + "/libbar.so.1"));
  }

  @Test
  void resolve_missingLibrary_warnedOnceAndUnresolved() {
    RootFs fs =
        new TestFs().debianBase().elf("/usr/bin/app", program("libgone.so.1", "libc.so.6")).build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/app", Reason.CHANGE_SET);
    Closure closure = resolve(fs, plan);
    assertEquals(
        List.of("libgone.so.1"), closure.unresolved().stream().map(Unresolved::name).toList());
    assertEquals(1, reporter.warnings.size(), reporter.warnings.toString());
    assertTrue(
        reporter.warnings.get(0).startsWith("libgone.so.1 (needed by /usr/bin/app) not found"),
        reporter.warnings.get(0));
  }

  @Test
  void resolve_neededNameKeptUnderThatFileNameElsewhere_debugNotWarning() {
    RootFs fs =
        new TestFs()
            .debianBase()
            .elf("/opt/jdk/lib/server/libjvm.so", lib("libc.so.6"))
            .elf("/opt/jdk/lib/libjava.so", lib("libjvm.so"))
            .build();
    KeepPlan.Builder plan = KeepPlan.builder().addRecursive("/opt/jdk", Reason.PROFILE);
    Closure closure = resolve(fs, plan);
    assertEquals(List.of(), closure.unresolved());
    assertEquals(List.of(), reporter.warnings);
    assertTrue(
        reporter.debugs.contains(
            "libjvm.so (needed by /opt/jdk/lib/libjava.so) is found at run time as"
                + " /opt/jdk/lib/server/libjvm.so"),
        reporter.debugs.toString());
  }

  @Test
  void resolve_relativeScriptInterpreter_debugOnly() {
    RootFs fs = new TestFs().text("/usr/bin/run", "#!./perl\nprint 1;\n").build();
    KeepPlan.Builder plan = KeepPlan.builder().add("/usr/bin/run", Reason.CHANGE_SET);
    Closure closure = resolve(fs, plan);
    assertEquals(List.of(), closure.unresolved());
    assertEquals(List.of(), reporter.warnings);
    assertTrue(
        reporter.debugs.contains("relative script interpreter ./perl of /usr/bin/run"),
        reporter.debugs.toString());
  }

  private Closure resolve(RootFs fs, KeepPlan.Builder plan) {
    return new ClosureContributor()
        .resolve(TraceFixture.snapshot(fs, TracedPaths.none()), plan, reporter);
  }
}
