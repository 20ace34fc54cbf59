package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.seccomp.SeccompJson;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallSummary;
import dev.skinnywhale.seccomp.SyscallTable;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.OutputFile;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seccomp profile ({@code trace --seccomp-profile FILE}, {@code build --seccomp-profile}): the
 * policy of the probes' syscall summaries, and writing it as Docker's JSON next to the destination
 * ({@code FILE.partial}) and moved into place, so that a failed run leaves no half-written profile.
 */
public record WriteSeccompProfile(Run run) {

  /** Fails, before anything else, when the profile could not be written where asked. */
  public static void checkTarget(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    OutputFile.check(file);
  }

  /**
   * The policy of the probes: a syscall that ran in any of them is allowed, one that only failed
   * with ENOSYS is refused so.
   *
   * @throws UnusableInputException when a probe recorded no syscalls (it fell back to LD_DEBUG)
   */
  public SeccompPolicy policyOf(Source source, List<ProbeRun> probes, SyscallTable table) {
    List<SyscallSummary> runs = new ArrayList<>();
    for (ProbeRun p : probes) {
      runs.add(
          p.syscalls()
              .orElseThrow(
                  () ->
                      new UnusableInputException(
                          "--seccomp-profile: `"
                              + p.command().text()
                              + "` was not traced with ptrace ("
                              + p.tracer().name().toLowerCase(java.util.Locale.ROOT)
                              + "): no syscalls were recorded")));
    }
    SeccompPolicy.Built built;
    try {
      built = SeccompPolicy.fromRuns(source.architecture(), runs, table);
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException("--seccomp-profile: " + e.getMessage());
    }
    if (!built.unnamed().isEmpty()) {
      run.reporter()
          .warn(
              "--seccomp-profile: syscalls without a name in this build's table are left out: "
                  + String.join(", ", built.unnamed()));
    }
    long dropped = runs.stream().mapToLong(SyscallSummary::dropped).sum();
    if (dropped > 0) {
      run.reporter().warn("--seccomp-profile: the tracer dropped " + dropped + " unknown calls");
    }
    return built.policy();
  }

  /**
   * The seccomp policies the loaded profiles carry, in one.
   *
   * @throws UnusableInputException when none of them has one, or they are for different
   *     architectures
   */
  public static SeccompPolicy carried(List<ProfileStore.Stored> loaded) {
    Optional<SeccompPolicy> all = Optional.empty();
    for (ProfileStore.Stored s : loaded) {
      if (s.profile().seccomp().isEmpty()) {
        continue;
      }
      SeccompPolicy p = s.profile().seccomp().get();
      try {
        all = Optional.of(all.map(a -> a.union(p)).orElse(p));
      } catch (IllegalArgumentException e) {
        throw new UnusableInputException("--seccomp-profile: " + e.getMessage());
      }
    }
    return all.orElseThrow(
        () ->
            new UnusableInputException(
                "--seccomp-profile: none of the profiles carries a seccomp policy (save one with"
                    + " trace --seccomp-profile FILE --save-profile NAME)"));
  }

  /** Writes the profile's JSON to {@code file}. */
  public void write(Path file, SeccompPolicy policy) throws IOException {
    Path abs = file.toAbsolutePath();
    String text = SeccompJson.write(policy);
    OutputFile.write(abs, run.cleanup(), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    run.steps()
        .say(
            "wrote seccomp profile "
                + file
                + " ("
                + policy.allowed().size()
                + " syscalls allowed"
                + (policy.enosys().isEmpty() ? "" : ", " + policy.enosys().size() + " ENOSYS")
                + ")");
  }
}
