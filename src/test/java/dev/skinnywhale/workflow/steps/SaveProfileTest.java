package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static dev.skinnywhale.workflow.keep.TraceFixture.parse;
import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.linker.ClosureResolver;
import dev.skinnywhale.linker.Dependency;
import dev.skinnywhale.linker.LinkerEnv;
import dev.skinnywhale.linker.TestFs;
import dev.skinnywhale.profile.EntryType;
import dev.skinnywhale.profile.Profile;
import dev.skinnywhale.profile.ProfileEntry;
import dev.skinnywhale.profile.ProfileJson;
import dev.skinnywhale.profile.RecordedCommand;
import dev.skinnywhale.profile.TracerKind;
import dev.skinnywhale.profile.Why;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.keep.TraceFixture;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile a trace saves: what was traced, how, and the libraries that needs. */
class SaveProfileTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";
  static final RootFs FS =
      new TestFs()
          .debianBase()
          .elf("/usr/bin/app", program("libc.so.6"))
          .elf(LIBDIR + "/libplugin.so.1", lib("libdep.so.1"))
          .elf(LIBDIR + "/libdep.so.1", lib())
          .elf("/usr/bin/other", program("libother.so.1"))
          .elf(LIBDIR + "/libother.so.1", lib())
          .text("/etc/app.conf", "x")
          .link("/etc/alt", "app.conf")
          .build();

  /** `app --selftest`: runs app, reads its config through a link, dlopens a plugin. */
  static final String LOG =
      """
      100   execve("/usr/bin/app", ["app", "--selftest"], 0x7ffd /* 3 vars */) = 0
      100   openat(AT_FDCWD</>, "/etc/alt", O_RDONLY) = 3</etc/app.conf>
      100   stat("/etc/app.conf", 0x7ffd) = 0
      100   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libplugin.so.1", O_RDONLY|O_CLOEXEC) = 4</usr/lib/x86_64-linux-gnu/libplugin.so.1>
      100   stat("/etc/missing.conf", 0x7ffd) = -1 ENOENT (No such file or directory)
      100   +++ exited with 0 +++
      """;

  static final ProbeCommand COMMAND = ProbeCommand.argv("app --selftest");
  static final dev.skinnywhale.trace.TracerKind PTRACE = dev.skinnywhale.trace.TracerKind.PTRACE;
  static final dev.skinnywhale.trace.TracerKind LD_DEBUG =
      dev.skinnywhale.trace.TracerKind.LD_DEBUG;

  @TempDir Path tmp;

  @Test
  void profileOf_tracedEntriesWithTheirWhysHopsAsSymlinksAndTheLibrariesTheyNeed()
      throws Exception {
    List<ProbeRun> probes = List.of(probe(PTRACE, parse(LOG)));
    Profile profile = profile(probes);
    Map<String, ProfileEntry> byPath = byPath(profile);

    assertEquals(
        Set.of(
            "/etc/alt",
            "/etc/app.conf",
            "/lib",
            "/lib64",
            "/usr/bin/app",
            "/usr/lib64/ld-linux-x86-64.so.2",
            LIBDIR + "/ld-linux-x86-64.so.2",
            LIBDIR + "/libc.so.6",
            LIBDIR + "/libdep.so.1",
            LIBDIR + "/libplugin.so.1"),
        byPath.keySet());
    assertEquals(
        entry("/etc/app.conf", EntryType.FILE, Why.OPENED, Why.STAT), byPath.get("/etc/app.conf"));
    assertEquals(entry("/usr/bin/app", EntryType.FILE, Why.EXEC), byPath.get("/usr/bin/app"));
    assertEquals(
        entry(LIBDIR + "/libplugin.so.1", EntryType.FILE, Why.OPENED),
        byPath.get(LIBDIR + "/libplugin.so.1"));
    for (String hop : List.of("/etc/alt", "/lib", "/lib64", "/usr/lib64/ld-linux-x86-64.so.2")) {
      assertEquals(entry(hop, EntryType.SYMLINK, Why.SYMLINK_HOP), byPath.get(hop));
    }
    assertEquals(
        ProfileEntry.neededBy(LIBDIR + "/libdep.so.1", EntryType.FILE, LIBDIR + "/libplugin.so.1"),
        byPath.get(LIBDIR + "/libdep.so.1"));
    assertEquals(
        ProfileEntry.neededBy(LIBDIR + "/libc.so.6", EntryType.FILE, "/usr/bin/app"),
        byPath.get(LIBDIR + "/libc.so.6"));
    assertEquals(
        ProfileEntry.neededBy(LIBDIR + "/ld-linux-x86-64.so.2", EntryType.FILE, "/usr/bin/app"),
        byPath.get(LIBDIR + "/ld-linux-x86-64.so.2"));

    assertEquals(TracerKind.PTRACE, profile.tracer());
    assertEquals(List.of(new RecordedCommand("app --selftest", 0)), profile.commands());
    Source source = TraceFixture.source();
    assertEquals(source.imageId(), profile.source().orElseThrow().image());
    assertEquals(Optional.of("img"), profile.source().orElseThrow().reference());
    assertEquals(Optional.of("amd64"), profile.source().orElseThrow().architecture());
  }

  @Test
  void profileOf_librariesNeededOnlyByOtherKeptFiles_leftOut() throws Exception {
    Map<String, ProfileEntry> byPath = byPath(profile(List.of(probe(PTRACE, parse(LOG)))));
    assertFalse(byPath.containsKey(LIBDIR + "/libother.so.1"), byPath.keySet().toString());
    assertFalse(byPath.containsKey("/usr/bin/other"), byPath.keySet().toString());
  }

  @Test
  void neededByTraced_onlyEdgesReachableFromTracedFiles() throws Exception {
    TracedPaths traced = traced(parse(LOG));
    List<Dependency> needed = SaveProfile.neededByTraced(traced, buildClosure());
    Set<String> neededBy = needed.stream().map(Dependency::neededBy).collect(Collectors.toSet());
    assertTrue(neededBy.contains(LIBDIR + "/libplugin.so.1"), neededBy.toString());
    assertFalse(neededBy.contains("/usr/bin/other"), neededBy.toString());
    assertTrue(
        needed.stream().noneMatch(d -> d.finalPath().endsWith("/libother.so.1")),
        needed.toString());
  }

  @Test
  void profileOf_anLdDebugProbe_makesItAnLdDebugProfile() throws Exception {
    List<ProbeRun> probes = List.of(probe(PTRACE, parse(LOG)), probe(LD_DEBUG, AccessSet.empty()));
    assertEquals(TracerKind.LD_DEBUG, profile(probes).tracer());
  }

  @Test
  void profileOf_closureInAnotherOrder_sameProfile() throws Exception {
    List<ProbeRun> probes = List.of(probe(PTRACE, parse(LOG)));
    Closure closure = buildClosure();
    List<Dependency> reversed = new ArrayList<>(closure.dependencies());
    Collections.reverse(reversed);
    Closure shuffled = new Closure(reversed, closure.unresolved(), closure.broken());
    TracedPaths traced = traced(parse(LOG));
    assertEquals(
        SaveProfile.profileOf(
            "app", TraceFixture.source(), probes, traced, closure, FS, RunOptions.NONE),
        SaveProfile.profileOf(
            "app", TraceFixture.source(), probes, traced, shuffled, FS, RunOptions.NONE));
  }

  @Test
  void save_twice_sameBytesNoPartialFileAndTheDirectoryMade() throws Exception {
    List<ProbeRun> probes = List.of(probe(PTRACE, parse(LOG)));
    Path file = tmp.resolve("new/dir/app.json");
    RecordingReporter reporter = new RecordingReporter();
    byte[] first;
    try (Run run = Run.open(new FakeEngine(), reporter, CLOCK)) {
      new SaveProfile(run)
          .save(
              new SaveProfile.Target("app", file),
              TraceFixture.source(),
              probes,
              traced(parse(LOG)),
              buildClosure(),
              FS,
              RunOptions.NONE,
              Optional.empty());
      first = Files.readAllBytes(file);
      new SaveProfile(run)
          .save(
              new SaveProfile.Target("app", file),
              TraceFixture.source(),
              probes,
              traced(parse(LOG)),
              buildClosure(),
              FS,
              RunOptions.NONE,
              Optional.empty());
    }
    assertArrayEquals(first, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "a partial file was left");
    }
    String json = Files.readString(file);
    assertFalse(json.contains(tmp.toString()), "a host path in the profile");
    assertEquals(profile(probes), new ProfileJson().read(file));
    assertTrue(reporter.steps.contains("saved profile app to " + file), reporter.steps.toString());
  }

  private static ProbeRun probe(dev.skinnywhale.trace.TracerKind kind, AccessSet accesses) {
    return new ProbeRun(COMMAND, Optional.of(0), false, "", kind, accesses, List.of());
  }

  private static TracedPaths traced(AccessSet accesses) {
    return InterpretTraces.interpret(
        FS, List.of(COMMAND), List.of(probe(PTRACE, accesses)), List.of("/usr/bin"));
  }

  /** The build's closure: of what was traced, and of a file the change set kept as well. */
  private static Closure buildClosure() {
    return new ClosureResolver(FS, LinkerEnv.defaults())
        .closureOf(List.of("/usr/bin/app", "/usr/bin/other", LIBDIR + "/libplugin.so.1"));
  }

  private static Profile profile(List<ProbeRun> probes) throws Exception {
    return SaveProfile.profileOf(
        "app",
        TraceFixture.source(),
        probes,
        traced(probes.get(0).accesses()),
        buildClosure(),
        FS,
        RunOptions.NONE);
  }

  private static Map<String, ProfileEntry> byPath(Profile profile) {
    return profile.entries().stream().collect(Collectors.toMap(ProfileEntry::path, e -> e));
  }

  private static ProfileEntry entry(String path, EntryType type, Why... why) {
    return ProfileEntry.of(path, type, why);
  }
}
