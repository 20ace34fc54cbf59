package dev.skinnywhale.seccomp;

import java.util.List;
import java.util.Optional;

/**
 * The syscall ABIs a process can use, as the tracer's {@code --syscalls} summary names them, with
 * the libseccomp architecture each is filtered under.
 */
public enum SyscallAbi {
  X86_64("x86_64", "SCMP_ARCH_X86_64"),
  /** The x32 ABI of x86_64 (numbers here without {@code __X32_SYSCALL_BIT}). */
  X32("x32", "SCMP_ARCH_X32"),
  /** 32-bit processes on x86_64. */
  I386("i386", "SCMP_ARCH_X86"),
  AARCH64("aarch64", "SCMP_ARCH_AARCH64"),
  /** AArch32 processes on aarch64. */
  ARM("arm", "SCMP_ARCH_ARM");

  private final String wireName;
  private final String scmpArch;

  SyscallAbi(String wireName, String scmpArch) {
    this.wireName = wireName;
    this.scmpArch = scmpArch;
  }

  /** The name in the tracer's summary and in the syscall table. */
  public String wireName() {
    return wireName;
  }

  /** The architecture's name in a Docker / OCI seccomp profile. */
  public String scmpArch() {
    return scmpArch;
  }

  public static Optional<SyscallAbi> fromWire(String name) {
    for (SyscallAbi a : values()) {
      if (a.wireName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * The ABIs a container of an image of this architecture (the image config's {@code architecture},
   * Go's names) can run, native first, as Docker's default profile lists them: amd64 with x86 and
   * x32, arm64 with arm. Empty for other architectures.
   */
  public static List<SyscallAbi> forImageArchitecture(String architecture) {
    return switch (architecture) {
      case "amd64" -> List.of(X86_64, I386, X32);
      case "arm64" -> List.of(AARCH64, ARM);
      default -> List.of();
    };
  }
}
