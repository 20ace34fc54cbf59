package dev.skinnywhale.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeccompPolicyTest {
  private static final SyscallTable TABLE =
      SyscallTable.parse(
          "t",
          """
          x86_64\t0\tread
          x86_64\t1\twrite
          x86_64\t56\tclone
          x86_64\t231\texit_group
          x86_64\t272\tunshare
          x86_64\t435\tclone3
          i386\t3\tread
          i386\t20\tgetpid
          """);

  private static SyscallSummary summary(String text) {
    return SyscallSummary.parse("s", "syscalls 1\n" + text);
  }

  @Test
  void fromRuns_ranAllowed_enosysOnlyRefusedSo_namesAcrossAbis() {
    SeccompPolicy.Built b =
        SeccompPolicy.fromRuns(
            "amd64",
            List.of(
                summary("x86_64 ran 0 1 56\nx86_64 enosys 435\ni386 ran 20\n"),
                summary("x86_64 ran 0 231 999\n")),
            TABLE);
    assertEquals(Set.of("clone", "exit_group", "getpid", "read", "write"), b.policy().allowed());
    assertEquals(Set.of("clone3"), b.policy().enosys());
    assertEquals(Set.of("x86_64 999"), b.unnamed());
    assertEquals(List.of(SyscallAbi.X86_64, SyscallAbi.I386, SyscallAbi.X32), b.policy().abis());
  }

  @Test
  void fromRuns_enosysInOneRunRanInAnother_isAllowed() {
    SeccompPolicy p =
        SeccompPolicy.fromRuns(
                "amd64",
                List.of(summary("x86_64 enosys 435\n"), summary("x86_64 ran 435\n")),
                TABLE)
            .policy();
    assertEquals(Set.of("clone3"), p.allowed());
    assertTrue(p.enosys().isEmpty());
  }

  @Test
  void fromRuns_otherArchitecture_fails() {
    assertThrows(
        IllegalArgumentException.class, () -> SeccompPolicy.fromRuns("s390x", List.of(), TABLE));
  }

  @Test
  void refusedIn_namesWhatIsNeitherAllowedNorEnosys() {
    SeccompPolicy p =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("amd64"),
            new TreeSet<>(Set.of("read", "write")),
            new TreeSet<>(Set.of("clone3")));
    assertEquals(
        Set.of("unshare", "getpid", "x86_64 998"),
        p.refusedIn(summary("x86_64 ran 0 1 272 998\nx86_64 enosys 435\ni386 ran 20\n"), TABLE));
  }

  @Test
  void union_andAllowing_keepTheSetsDisjoint() {
    SeccompPolicy a =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("amd64"),
            new TreeSet<>(Set.of("read")),
            new TreeSet<>(Set.of("clone3")));
    SeccompPolicy b =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("amd64"),
            new TreeSet<>(Set.of("clone3", "write")),
            new TreeSet<>());
    SeccompPolicy u = a.union(b);
    assertEquals(Set.of("clone3", "read", "write"), u.allowed());
    assertTrue(u.enosys().isEmpty());
    assertEquals(Set.of("read", "x"), a.allowing(List.of("x")).allowed());
    SeccompPolicy arm =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("arm64"), new TreeSet<>(), new TreeSet<>());
    assertThrows(IllegalArgumentException.class, () -> a.union(arm));
  }

  @Test
  void notAllowed_everyNameOfTheArchitectures() {
    SeccompPolicy p =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("amd64"),
            new TreeSet<>(Set.of("read", "write", "clone")),
            new TreeSet<>());
    assertEquals(List.of("clone3", "exit_group", "getpid", "unshare"), p.notAllowed(TABLE));
  }

  @Test
  void constructor_badName_fails() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SeccompPolicy(
                List.of(SyscallAbi.X86_64), new TreeSet<>(Set.of("Bad Name")), new TreeSet<>()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SeccompPolicy(List.of(), new TreeSet<>(), new TreeSet<>()));
  }
}
