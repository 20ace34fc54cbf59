package dev.skinnywhale.seccomp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A seccomp policy as skinnywhale makes it: every syscall refused (EPERM) except the ones allowed
 * by name, and those refused with ENOSYS instead, as the source run saw them refused (so that a
 * program's fallback runs as it did there: glibc tries {@code clone3} and falls back to {@code
 * clone} on ENOSYS only). Names apply to every architecture listed, as in a Docker profile.
 * Canonical by construction: names sorted and distinct, the two sets disjoint.
 *
 * @param abis the architectures, native first ({@link SyscallAbi#forImageArchitecture})
 * @param allowed the syscalls that run
 * @param enosys the syscalls refused with ENOSYS (none of them allowed)
 */
public record SeccompPolicy(
    List<SyscallAbi> abis, SortedSet<String> allowed, SortedSet<String> enosys) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");

  public SeccompPolicy {
    abis = List.copyOf(new LinkedHashSet<>(abis));
    if (abis.isEmpty()) {
      throw new IllegalArgumentException("a seccomp policy needs an architecture");
    }
    allowed = checked(allowed, "allowed");
    SortedSet<String> refused = checked(enosys, "enosys");
    refused.removeAll(allowed);
    enosys = java.util.Collections.unmodifiableSortedSet(refused);
    allowed = java.util.Collections.unmodifiableSortedSet(allowed);
  }

  /** What a policy made from traced runs left out: numbers the table has no name for. */
  public record Built(SeccompPolicy policy, SortedSet<String> unnamed) {
    public Built {
      Objects.requireNonNull(policy, "policy");
      unnamed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(unnamed));
    }
  }

  /**
   * The policy of some traced runs in an image of {@code imageArchitecture}: a syscall that ran in
   * any of them is allowed; one that only ever failed with ENOSYS is refused with ENOSYS. Numbers
   * without a name in the table (32-bit ARM, a syscall newer than the table) are left out and
   * returned as {@code "ABI NUMBER"}.
   *
   * @throws IllegalArgumentException for an architecture other than amd64 and arm64
   */
  public static Built fromRuns(
      String imageArchitecture, Collection<SyscallSummary> runs, SyscallTable table) {
    List<SyscallAbi> abis = SyscallAbi.forImageArchitecture(imageArchitecture);
    if (abis.isEmpty()) {
      throw new IllegalArgumentException(
          "no seccomp architectures for images of " + imageArchitecture + " (amd64, arm64)");
    }
    SortedSet<String> allowed = new TreeSet<>();
    SortedSet<String> enosys = new TreeSet<>();
    SortedSet<String> unnamed = new TreeSet<>();
    for (SyscallSummary run : runs) {
      run.ran().forEach((abi, nrs) -> names(table, abi, nrs, allowed, unnamed));
      run.enosys().forEach((abi, nrs) -> names(table, abi, nrs, enosys, unnamed));
    }
    return new Built(new SeccompPolicy(abis, allowed, enosys), unnamed);
  }

  private static void names(
      SyscallTable table,
      SyscallAbi abi,
      SortedSet<Integer> numbers,
      SortedSet<String> into,
      SortedSet<String> unnamed) {
    for (int nr : numbers) {
      table.name(abi, nr).ifPresentOrElse(into::add, () -> unnamed.add(abi.wireName() + " " + nr));
    }
  }

  /** This policy with more syscalls allowed (taken out of the ENOSYS set when there). */
  public SeccompPolicy allowing(Collection<String> more) {
    SortedSet<String> all = new TreeSet<>(allowed);
    all.addAll(more);
    return new SeccompPolicy(abis, all, enosys);
  }

  /**
   * Both policies in one: what either allows, and what either refuses with ENOSYS and neither
   * allows.
   *
   * @throws IllegalArgumentException when they are for different architectures
   */
  public SeccompPolicy union(SeccompPolicy other) {
    if (!other.abis.equals(abis)) {
      throw new IllegalArgumentException(
          "seccomp policies for different architectures: " + abis + " and " + other.abis);
    }
    SortedSet<String> refused = new TreeSet<>(enosys);
    refused.addAll(other.enosys);
    return allowing(other.allowed).withEnosys(refused);
  }

  private SeccompPolicy withEnosys(SortedSet<String> refused) {
    return new SeccompPolicy(abis, allowed, refused);
  }

  /**
   * The syscalls {@code run} entered that this policy refuses with its default errno (neither
   * allowed nor in the ENOSYS set), by name; a number without a name as {@code "ABI NUMBER"}.
   */
  public SortedSet<String> refusedIn(SyscallSummary run, SyscallTable table) {
    SortedSet<String> out = new TreeSet<>();
    for (SyscallAbi abi : SyscallAbi.values()) {
      for (int nr : run.entered(abi)) {
        String name = table.name(abi, nr).orElse(abi.wireName() + " " + nr);
        if (!allowed.contains(name) && !enosys.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** Every name of the table for this policy's architectures that it does not allow. */
  public List<String> notAllowed(SyscallTable table) {
    SortedSet<String> out = new TreeSet<>();
    for (SyscallAbi abi : abis) {
      out.addAll(table.numbers(abi).values());
    }
    out.removeAll(allowed);
    return new ArrayList<>(out);
  }

  private static SortedSet<String> checked(SortedSet<String> names, String field) {
    SortedSet<String> out = new TreeSet<>();
    for (String n : names) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("bad syscall name in " + field + ": " + n);
      }
      out.add(n);
    }
    return out;
  }
}
