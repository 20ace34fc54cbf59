package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static dev.skinnywhale.workflow.keep.TraceFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.TracerKind;
import dev.skinnywhale.tracelog.TracedPaths;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the probes started, and the one interpretation of their traces. */
class InterpretTracesTest {
  @Test
  void programs_argv0OfEachCommand() {
    assertEquals(
        List.of("/bin/sh", "app"),
        InterpretTraces.programs(
            List.of(ProbeCommand.shell("/bin/sh", "app --x"), ProbeCommand.argv("app --x"))));
  }

  @Test
  void programs_envShebang_envAndTheProgramItRuns() {
    assertEquals(
        List.of(ProbeCommand.SCRIPT_PATH, "/usr/bin/env", "python3"),
        InterpretTraces.programs(List.of(script("#!/usr/bin/env python3\nprint(1)\n"))));
    assertEquals(
        List.of(ProbeCommand.SCRIPT_PATH, "/usr/bin/env", "python3"),
        InterpretTraces.programs(List.of(script("#! /usr/bin/env -S python3 -u\n"))));
  }

  @Test
  void programs_plainShebang_theInterpreterOnly() {
    assertEquals(
        List.of(ProbeCommand.SCRIPT_PATH, "/bin/bash"),
        InterpretTraces.programs(List.of(script("#!/bin/bash -e\necho hi\n"))));
  }

  @Test
  void programs_scriptWithoutOrWithEmptyShebang_nothingMore() {
    ProbeCommand byShell =
        ProbeCommand.script("t.sh", new ProbeCommand.Script("echo hi\n"), Optional.of("/bin/sh"));
    assertEquals(List.of("/bin/sh"), InterpretTraces.programs(List.of(byShell)));
    assertEquals(
        List.of(ProbeCommand.SCRIPT_PATH), InterpretTraces.programs(List.of(script("#!\n"))));
  }

  @Test
  void interpret_programsFoundOnTheImagePath_probeDirAndKernelIgnored() throws Exception {
    RootFs fs =
        RootFs.of(
            List.of(
                file("/usr/bin/env"),
                new FsNode.Symlink("/usr/bin/python3", NodeMeta.of(0777), "python3.11"),
                file("/usr/bin/python3.11"),
                file("/etc/app.conf"),
                file("/proc/self/status"),
                file(ProbeCommand.SCRIPT_PATH)));
    ProbeCommand command = script("#!/usr/bin/env python3\n");
    ProbeRun probe =
        new ProbeRun(
            command,
            Optional.of(0),
            false,
            "",
            TracerKind.PTRACE,
            parse(
                """
                100   openat(AT_FDCWD</>, "/etc/app.conf", O_RDONLY) = 3</etc/app.conf>
                100   openat(AT_FDCWD</>, "/proc/self/status", O_RDONLY) = 4</proc/self/status>
                100   openat(AT_FDCWD</>, "/.skinnywhale-probe/run-file", O_RDONLY) = 5</.skinnywhale-probe/run-file>
                100   +++ exited with 0 +++
                """),
            List.of());

    TracedPaths traced =
        InterpretTraces.interpret(fs, List.of(command), List.of(probe), List.of("/usr/bin"));

    assertEquals(
        Set.of("/etc/app.conf", "/usr/bin/env", "/usr/bin/python3.11"), traced.entries().keySet());
    assertTrue(traced.entries().get("/usr/bin/python3.11").hops().contains("/usr/bin/python3"));
    assertTrue(
        traced.entries().get("/usr/bin/env").uses().contains(TracedPaths.Use.EXEC),
        traced.entries().toString());
  }

  private static ProbeCommand script(String content) {
    return ProbeCommand.script("t.py", new ProbeCommand.Script(content), Optional.empty());
  }
}
