package dev.skinnywhale.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SyscallSummaryTest {
  private static SyscallSummary parse(String text) {
    return SyscallSummary.parse("sc", text);
  }

  private static IllegalArgumentException fails(String text) {
    return assertThrows(IllegalArgumentException.class, () -> parse(text));
  }

  @Test
  void parse_everyAbiAndKind() {
    SyscallSummary s =
        parse(
            """
            syscalls 1
            x86_64 ran 0 1 3 59 231
            x86_64 enosys 435
            x32 ran 1
            i386 ran 1 20 64
            dropped 2
            """);
    assertEquals(new TreeSet<>(Set.of(0, 1, 3, 59, 231)), s.ran().get(SyscallAbi.X86_64));
    assertEquals(Set.of(435), s.enosys().get(SyscallAbi.X86_64));
    assertEquals(Set.of(1), s.ran().get(SyscallAbi.X32));
    assertEquals(Set.of(1, 20, 64), s.ran().get(SyscallAbi.I386));
    assertEquals(2, s.dropped());
    assertEquals(Set.of(0, 1, 3, 59, 231, 435), s.entered(SyscallAbi.X86_64));
    assertTrue(s.entered(SyscallAbi.AARCH64).isEmpty());
  }

  @Test
  void parse_headerOnly_isEmpty() {
    assertEquals(SyscallSummary.empty(), parse("syscalls 1\n"));
    assertEquals(SyscallSummary.empty(), parse("syscalls 1"));
  }

  @Test
  void parse_aarch64AndArm() {
    SyscallSummary s = parse("syscalls 1\naarch64 ran 56 63 93\narm enosys 5\n");
    assertEquals(Set.of(56, 63, 93), s.ran().get(SyscallAbi.AARCH64));
    assertEquals(Map.of(SyscallAbi.ARM, Set.of(5)), Map.copyOf(s.enosys()));
  }

  @Test
  void parse_otherVersion_failsAtLine1() {
    IllegalArgumentException e = fails("syscalls 2\nx86_64 ran 1\n");
    assertTrue(e.getMessage().startsWith("sc:1: "), e.getMessage());
  }

  @Test
  void parse_malformedLines_failWithTheLine() {
    assertTrue(fails("syscalls 1\nx86_64 ran\n").getMessage().startsWith("sc:2: "));
    assertTrue(fails("syscalls 1\nx86_64 saw 1\n").getMessage().contains("saw"));
    assertTrue(fails("syscalls 1\nmips ran 1\n").getMessage().contains("unknown ABI"));
    assertTrue(fails("syscalls 1\nx86_64 ran 1 x\n").getMessage().contains("bad number"));
    assertTrue(fails("syscalls 1\nx86_64 ran 1024\n").getMessage().contains("bad number"));
    assertTrue(fails("syscalls 1\nx86_64 ran 3 2\n").getMessage().contains("not ascending"));
    assertTrue(fails("syscalls 1\nx86_64 ran 1 1\n").getMessage().contains("not ascending"));
    assertTrue(fails("syscalls 1\nx86_64  ran 1\n").getMessage().startsWith("sc:2: "));
    assertTrue(fails("syscalls 1\nx86_64 ran 1\nx86_64 ran 2\n").getMessage().contains("a second"));
    assertTrue(fails("syscalls 1\n\nx86_64 ran 1\n").getMessage().startsWith("sc:2: "));
  }
}
