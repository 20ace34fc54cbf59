package dev.skinnywhale.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped syscall table against independent sources on this machine: the kernel's UAPI headers
 * as the C compilers see them ({@code cc -dM -E}, the aarch64 cross compiler for aarch64) and the
 * audit package's {@code ausyscall --dump}. Numbers both know must have the same name; a source of
 * a newer kernel may know more numbers at the end, an older one fewer. With CI=true at least one
 * source must be there for every ABI the table has.
 */
class SyscallTableTest {
  private static final SyscallTable TABLE = SyscallTable.shipped();

  /** ausyscall's own spellings (audit's tables), by ABI: theirs → the kernel's. */
  private static final Map<SyscallAbi, Map<String, String>> AUDIT_SPELLING =
      Map.of(
          SyscallAbi.X86_64, Map.of("pread", "pread64", "pwrite", "pwrite64"),
          SyscallAbi.I386,
              Map.of(
                  "sys_kexec_load", "kexec_load",
                  "sched_rr_get_interval64", "sched_rr_get_interval_time64"),
          SyscallAbi.AARCH64,
              Map.of(
                  "getdents", "getdents64",
                  "pread", "pread64",
                  "pwrite", "pwrite64",
                  "newfstat", "fstat"));

  @Test
  void shipped_knowsTheUsualNumbers() {
    assertEquals(Optional.of("read"), TABLE.name(SyscallAbi.X86_64, 0));
    assertEquals(Optional.of("execve"), TABLE.name(SyscallAbi.X86_64, 59));
    assertEquals(Optional.of("clone3"), TABLE.name(SyscallAbi.X86_64, 435));
    assertEquals(Optional.of("exit"), TABLE.name(SyscallAbi.I386, 1));
    assertEquals(Optional.of("socketcall"), TABLE.name(SyscallAbi.I386, 102));
    assertEquals(Optional.of("rt_sigaction"), TABLE.name(SyscallAbi.X32, 512));
    assertEquals(Optional.of("openat"), TABLE.name(SyscallAbi.AARCH64, 56));
    assertEquals(Optional.of("newfstatat"), TABLE.name(SyscallAbi.AARCH64, 79));
    assertTrue(TABLE.numbers(SyscallAbi.ARM).isEmpty());
    assertTrue(TABLE.numbers(SyscallAbi.X86_64).size() > 350);
  }

  @Test
  void parse_badLines_failWithTheLine() {
    assertThrows(IllegalArgumentException.class, () -> SyscallTable.parse("t", "x86_64\t0\n"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SyscallTable.parse("t", "# c\nx86_64\t0\tread\nx86_64\t0\tother\n"));
    assertTrue(e.getMessage().startsWith("t:3: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyscallTable.parse("t", "mips\t0\tread\n"));
  }

  @Test
  void shipped_matchesTheKernelHeaders() throws Exception {
    List<String> checked = new ArrayList<>();
    check(SyscallAbi.X86_64, headers("cc", "asm/unistd_64.h"), Map.of(), "cc", checked);
    check(SyscallAbi.I386, headers("cc", "asm/unistd_32.h"), Map.of(), "cc", checked);
    check(SyscallAbi.X32, headers("cc", "asm/unistd_x32.h"), Map.of(), "cc", checked);
    check(
        SyscallAbi.AARCH64,
        headers("aarch64-linux-gnu-gcc", "asm/unistd.h"),
        Map.of(),
        "aarch64-linux-gnu-gcc",
        checked);
    requireInCi(checked, "kernel headers (cc, aarch64-linux-gnu-gcc)");
  }

  @Test
  void shipped_matchesAusyscall() throws Exception {
    List<String> checked = new ArrayList<>();
    for (SyscallAbi abi : List.of(SyscallAbi.X86_64, SyscallAbi.I386, SyscallAbi.AARCH64)) {
      check(abi, ausyscall(abi), AUDIT_SPELLING.get(abi), "ausyscall", checked);
    }
    requireInCi(checked, "ausyscall (Debian: auditd)");
  }

  private static void check(
      SyscallAbi abi,
      Optional<SortedMap<Integer, String>> source,
      Map<String, String> spelling,
      String what,
      List<String> checked) {
    if (source.isEmpty() || source.get().isEmpty()) {
      return;
    }
    SortedMap<Integer, String> ours = TABLE.numbers(abi);
    int common = Math.min(ours.lastKey(), source.get().lastKey());
    List<String> diff = new ArrayList<>();
    for (int nr = 0; nr <= common; nr++) {
      String theirs = source.get().get(nr);
      theirs = theirs == null ? null : spelling.getOrDefault(theirs, theirs);
      String mine = ours.get(nr);
      if (theirs == null ? mine != null : !theirs.equals(mine)) {
        diff.add(nr + ": " + what + " " + theirs + ", table " + mine);
      }
    }
    assertTrue(diff.isEmpty(), abi.wireName() + " differs from " + what + ": " + diff);
    checked.add(abi.wireName());
  }

  private static void requireInCi(List<String> checked, String what) {
    if (checked.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("CI=true and no " + what + " to check the syscall table against");
    }
  }

  private static final Pattern DEFINE =
      Pattern.compile("#define __NR_(\\w+) \\(?(?:__X32_SYSCALL_BIT \\+ )?(\\d+)\\)?");

  /** {@code __NR_*} of a header as {@code CC -dM -E} defines them; empty without that compiler. */
  private static Optional<SortedMap<Integer, String>> headers(String cc, String header)
      throws Exception {
    Optional<String> out =
        output(List.of(cc, "-dM", "-E", "-include", header, "-x", "c", "/dev/null"));
    if (out.isEmpty()) {
      return Optional.empty();
    }
    SortedMap<Integer, String> m = new TreeMap<>();
    for (String line : out.get().split("\n")) {
      Matcher d = DEFINE.matcher(line.strip());
      if (d.matches() && !d.group(1).equals("syscalls")) {
        m.put(Integer.parseInt(d.group(2)), d.group(1));
      }
    }
    // asm-generic's 64-bit aliases (__NR_fcntl __NR3264_fcntl) resolved through __NR3264_*
    Pattern alias = Pattern.compile("#define __NR_(\\w+) __NR3264_(\\w+)");
    Pattern base = Pattern.compile("#define __NR3264_(\\w+) (\\d+)");
    Map<String, Integer> bases = new TreeMap<>();
    for (String line : out.get().split("\n")) {
      Matcher b = base.matcher(line.strip());
      if (b.matches()) {
        bases.put(b.group(1), Integer.parseInt(b.group(2)));
      }
    }
    for (String line : out.get().split("\n")) {
      Matcher a = alias.matcher(line.strip());
      if (a.matches() && bases.containsKey(a.group(2))) {
        m.put(bases.get(a.group(2)), a.group(1));
      }
    }
    m.values().remove("arch_specific_syscall");
    return Optional.of(m);
  }

  private static Optional<SortedMap<Integer, String>> ausyscall(SyscallAbi abi) throws Exception {
    Optional<String> out = output(List.of("ausyscall", abi.wireName(), "--dump"));
    if (out.isEmpty()) {
      return Optional.empty();
    }
    SortedMap<Integer, String> m = new TreeMap<>();
    for (String line : out.get().split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 2 && f[0].matches("\\d+")) {
        m.put(Integer.parseInt(f[0]), f[1].strip());
      }
    }
    return Optional.of(m);
  }

  private static Optional<String> output(List<String> command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty(); // not installed
    }
  }
}
