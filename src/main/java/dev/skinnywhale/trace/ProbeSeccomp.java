package dev.skinnywhale.trace;

import java.util.Objects;
import java.util.Optional;

/**
 * What a probe run does about seccomp, besides what it is traced for.
 *
 * @param recordSyscalls run the tracer with {@code --syscalls} (every syscall, per ABI; a PTRACE
 *     run only)
 * @param profile a seccomp profile's JSON text the container runs under instead of the engine's
 *     default
 */
public record ProbeSeccomp(boolean recordSyscalls, Optional<String> profile) {
  /** The engine's default profile, no syscall summary. */
  public static final ProbeSeccomp NONE = new ProbeSeccomp(false, Optional.empty());

  /** The engine's default profile, and the tracer's syscall summary. */
  public static final ProbeSeccomp RECORD = new ProbeSeccomp(true, Optional.empty());

  public ProbeSeccomp {
    Objects.requireNonNull(profile, "profile");
  }

  /** Under this profile (JSON text). */
  public static ProbeSeccomp under(String profileJson) {
    return new ProbeSeccomp(false, Optional.of(profileJson));
  }
}
