package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.FS;
import static dev.skinnywhale.workflow.keep.TraceFixture.LOG;
import static dev.skinnywhale.workflow.keep.TraceFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skinnywhale.tracelog.AccessSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a failed verification names as missing. */
class VerifyTest {
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
        Verify.missingPaths(parse(LOG), slim, FS, Set.of("/etc/nsswitch.conf")));
  }
}
