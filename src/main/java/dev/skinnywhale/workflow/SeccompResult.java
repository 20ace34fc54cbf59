package dev.skinnywhale.workflow;

import dev.skinnywhale.seccomp.SeccompPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The seccomp profile of a traced build.
 *
 * @param policy what it allows and refuses with ENOSYS
 * @param fromTrue syscalls allowed because a traced {@code true} made them (a process start)
 * @param forRuntime syscalls allowed because the container runtime needed them to start {@code
 *     true} under the profile, in the order they were found
 * @param written where it was written; empty when verification failed (it is then not written)
 */
public record SeccompResult(
    SeccompPolicy policy, List<String> fromTrue, List<String> forRuntime, Optional<Path> written) {
  public SeccompResult {
    Objects.requireNonNull(policy, "policy");
    fromTrue = List.copyOf(fromTrue);
    forRuntime = List.copyOf(forRuntime);
    Objects.requireNonNull(written, "written");
  }
}
