package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.seccomp.SeccompJson;
import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallTable;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds to a seccomp policy what the container runtime needs to start a process under it, measured
 * on the same engine: a traced {@code true} (what a process start itself makes), then containers of
 * {@code true} started under the policy until one starts. The runtime's own calls after it installs
 * the filter (runc's: capget, capset, setgroups, chdir, ...) cannot be traced without privileges;
 * each refused one is found from the runtime's error, which names the errno: every syscall the
 * policy does not allow is refused with an errno of its own ({@link SeccompJson#withMarkers}). When
 * an error names none (a refused call whose result the runtime does not check), a binary search
 * over the same candidates finds one.
 */
public record RuntimeSyscalls(Run run, Prober prober, SyscallTable table) {
  /** The errno of the first marked candidate; the others follow. */
  static final int FIRST_MARKER = 1000;

  /** The most syscalls added for the runtime (each costs a container start or a search). */
  static final int MAX_ADDED = 64;

  /** The time limit of one container of {@code true}. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);

  private static final Pattern ERRNO = Pattern.compile("\\berrno (\\d{4})\\b");

  /** The policy and what was added to it, in the order found. */
  public record Completed(SeccompPolicy policy, List<String> fromTrue, List<String> runtime) {
    public Completed {
      fromTrue = List.copyOf(fromTrue);
      runtime = List.copyOf(runtime);
    }
  }

  /**
   * @param image the image the probes ran in
   * @param traced the policy of the traced commands
   */
  public Completed complete(String image, SeccompPolicy traced, ProbeOptions options)
      throws IOException {
    return run.steps()
        .run(
            "seccomp",
            "measuring what the runtime needs to start a process under the seccomp profile",
            () -> measure(image, traced, attemptOptions(options)));
  }

  private Completed measure(String image, SeccompPolicy traced, ProbeOptions options)
      throws IOException {
    ProbeRun t = prober.trace(image, ProbeCommand.argv("true"), options);
    if (t.syscalls().isEmpty() || !t.exitCode().equals(Optional.of(0))) {
      throw new UnusableInputException(
          "--seccomp-profile: `true` did not run traced in the image ("
              + t.outcome()
              + "); the runtime's syscalls are measured with it");
    }
    SeccompPolicy withTrue =
        traced.union(
            SeccompPolicy.fromRuns(architectureOf(traced), List.of(t.syscalls().get()), table)
                .policy());
    List<String> fromTrue = new ArrayList<>(withTrue.allowed());
    fromTrue.removeAll(traced.allowed());
    SeccompPolicy p = withTrue;
    List<String> added = new ArrayList<>();
    while (true) {
      List<String> candidates = candidates(p);
      Attempt a = attempt(image, SeccompJson.withMarkers(p, candidates, FIRST_MARKER), options);
      if (a.started()) {
        break;
      }
      if (added.size() >= MAX_ADDED) {
        throw new UnusableInputException(
            "--seccomp-profile: the container runtime still fails after "
                + MAX_ADDED
                + " syscalls were added for it: "
                + a.error());
      }
      String found = marked(a.error(), candidates).orElse(null);
      if (found == null) {
        found = search(image, p, candidates, options, a.error());
      }
      run.reporter().debug("the runtime needs " + found + " (" + a.error() + ")");
      added.add(found);
      p = p.allowing(List.of(found));
    }
    return new Completed(p, fromTrue, added);
  }

  /** The syscalls of the policy's architectures it neither allows nor refuses with ENOSYS. */
  private List<String> candidates(SeccompPolicy p) {
    List<String> out = new ArrayList<>(p.notAllowed(table));
    out.removeAll(p.enosys());
    return out;
  }

  /** The candidate whose marker errno the error names. */
  static Optional<String> marked(String error, List<String> candidates) {
    Matcher m = ERRNO.matcher(error);
    while (m.find()) {
      int i = Integer.parseInt(m.group(1)) - FIRST_MARKER;
      if (i >= 0 && i < candidates.size()) {
        return Optional.of(candidates.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * The first candidate such that allowing it and every one before it lets the container start
   * (binary search: allowing more never hurts).
   */
  private String search(
      String image, SeccompPolicy p, List<String> candidates, ProbeOptions options, String error)
      throws IOException {
    if (candidates.isEmpty() || !attempt(image, p, candidates.size(), candidates, options)) {
      throw new UnusableInputException(
          "--seccomp-profile: the container does not start even with every syscall allowed: "
              + error);
    }
    for (int tries = 0; ; tries++) {
      int lo = 1;
      int hi = candidates.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (attempt(image, p, mid, candidates, options)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      // A runtime that fails only now and then (a Go runtime race) misleads the search: the
      // prefix just short of the answer must still fail.
      if (lo == 1 || tries == 2 || !attempt(image, p, lo - 1, candidates, options)) {
        return candidates.get(lo - 1);
      }
    }
  }

  private boolean attempt(
      String image, SeccompPolicy p, int first, List<String> candidates, ProbeOptions options)
      throws IOException {
    String json = SeccompJson.write(p.allowing(new TreeSet<>(candidates.subList(0, first))));
    return attempt(image, json, options).started();
  }

  private record Attempt(boolean started, String error) {}

  private Attempt attempt(String image, String profile, ProbeOptions options) throws IOException {
    try {
      ProbeRun r = prober.plainUnder(image, ProbeCommand.argv("true"), options, profile);
      return new Attempt(
          r.exitCode().equals(Optional.of(0)), r.outcome() + ": " + r.output().strip());
    } catch (EngineException e) {
      return new Attempt(false, e.getMessage());
    }
  }

  private static ProbeOptions attemptOptions(ProbeOptions o) {
    return new ProbeOptions(o.network(), o.env(), o.user(), o.workingDir(), ATTEMPT_TIMEOUT);
  }

  private static String architectureOf(SeccompPolicy p) {
    return switch (p.abis().get(0)) {
      case X86_64, I386, X32 -> "amd64";
      case AARCH64, ARM -> "arm64";
    };
  }
}
