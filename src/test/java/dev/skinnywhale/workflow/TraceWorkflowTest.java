package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.StraceLogParser;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure steps of a traced build: which traced paths are kept, and which are named missing. */
class TraceWorkflowTest {
  static final RootFs FS =
      RootFs.of(
          List.of(
              new FsNode.Symlink("/lib", NodeMeta.of(0777), "usr/lib"),
              file("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
              file("/etc/nsswitch.conf"),
              file("/etc/hosts"),
              new FsNode.Directory("/etc/ssl", NodeMeta.of(0755)),
              file("/etc/ssl/big-unread.pem"),
              file("/usr/bin/java"),
              new FsNode.Directory("/var/log/app", NodeMeta.of(0755)),
              file("/var/log/app/old.log"),
              file("/proc/self/maps")));

  /** A log in our tracer's format (strace -f -y -o). */
  static final String LOG =
      """
      100   execve("/usr/bin/java", ["java"], 0x7ffd /* 3 vars */) = 0
      100   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libnss_files.so.2", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libnss_files.so.2>
      100   openat(AT_FDCWD</>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = 3</etc/nsswitch.conf>
      100   openat(AT_FDCWD</>, "/etc/ssl", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 4</etc/ssl>
      100   stat("/etc/missing.conf", 0x7ffd) = -1 ENOENT (No such file or directory)
      100   openat(AT_FDCWD</>, "/proc/self/maps", O_RDONLY) = 5</proc/self/maps>
      100   openat(AT_FDCWD</>, "/tmp/made-by-probe", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 6</tmp/made-by-probe>
      100   openat(AT_FDCWD</>, "/.skinnywhale-probe/trace.log", O_WRONLY|O_CREAT, 0644) = 7</.skinnywhale-probe/trace.log>
      100   openat(AT_FDCWD</>, "/var/log/app/new/today.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 8</var/log/app/new/today.log>
      100   +++ exited with 0 +++
      """;

  static FsNode.RegularFile file(String path) {
    return new FsNode.RegularFile(path, NodeMeta.of(0644), new BytesBlob(new byte[] {1}));
  }

  static AccessSet parse(String log) throws Exception {
    return new StraceLogParser().parse("test.log", new StringReader(log));
  }

  @Test
  void addTraced_keepsWhatExistedAndWasFound() throws Exception {
    KeepPlan.Builder plan = KeepPlan.builder();
    TraceWorkflow.addTraced(plan, FS, parse(LOG));
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

  @Test
  void missingPaths_foundInSourceFailedInSlim() throws Exception {
    AccessSet slim =
        parse(
            """
            200   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libnss_files.so.2", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
            200   stat("/etc/missing.conf", 0x7ffd) = -1 ENOENT (No such file or directory)
            200   openat(AT_FDCWD</>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = 3</etc/nsswitch.conf>
            200   openat(AT_FDCWD</>, "/var/log/app/new/today.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = -1 ENOENT (No such file or directory)
            """);
    assertEquals(
        List.of("/lib/x86_64-linux-gnu/libnss_files.so.2", "/var/log/app"),
        TraceWorkflow.missingPaths(parse(LOG), slim, FS, Set.of("/etc/nsswitch.conf")));
  }

  @Test
  void commands_shellWhenTheImageHasOne_argvOtherwise() {
    RootFs withShell =
        RootFs.of(
            List.of(
                file("/usr/bin/dash"),
                new FsNode.Symlink("/bin/sh", NodeMeta.of(0777), "/usr/bin/dash")));
    assertEquals(
        List.of(ProbeCommand.shell("/bin/sh", "a 'b c'")),
        TraceWorkflow.commands(List.of("a 'b c'"), Optional.empty(), withShell));
    assertEquals(
        List.of(new ProbeCommand("a 'b c'", List.of("a", "b c"))),
        TraceWorkflow.commands(List.of("a 'b c'"), Optional.empty(), FS));
    assertThrows(
        UnusableInputException.class,
        () -> TraceWorkflow.commands(List.of("a 'b"), Optional.empty(), FS));
    assertThrows(
        UnusableInputException.class,
        () -> TraceWorkflow.commands(List.of(" "), Optional.empty(), withShell));
  }

  @Test
  void commands_runFile_shebangDecidesElseTheShell() {
    RootFs withShell =
        RootFs.of(
            List.of(
                file("/usr/bin/dash"),
                new FsNode.Symlink("/bin/sh", NodeMeta.of(0777), "/usr/bin/dash")));
    var bash = Optional.of(new TraceRequest.RunFile("t.sh", "#!/bin/bash\necho hi\n"));
    var plain = Optional.of(new TraceRequest.RunFile("t.sh", "echo hi\n"));
    ProbeCommand byShebang = TraceWorkflow.commands(List.of(), bash, FS).get(0);
    assertEquals(List.of(ProbeCommand.SCRIPT_PATH), byShebang.argv());
    assertEquals("--run-file t.sh", byShebang.text());
    assertEquals(
        List.of("/bin/sh", ProbeCommand.SCRIPT_PATH),
        TraceWorkflow.commands(List.of(), plain, withShell).get(0).argv());
    assertThrows(UnusableInputException.class, () -> TraceWorkflow.commands(List.of(), plain, FS));
  }
}
