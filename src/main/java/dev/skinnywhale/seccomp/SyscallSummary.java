package dev.skinnywhale.seccomp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the tracer's {@code --syscalls} summary says one traced run did (tracer/README.md, "Syscall
 * summary"): per ABI, the syscall numbers that ran, and those every call of which failed with
 * ENOSYS (not implemented, or refused so by the container's profile).
 *
 * @param ran per ABI, the numbers entered that did not only fail with ENOSYS
 * @param enosys per ABI, the numbers every finished call of which returned ENOSYS
 * @param dropped calls the tracer counted but did not keep (another audit arch, a number past its
 *     table)
 */
public record SyscallSummary(
    Map<SyscallAbi, SortedSet<Integer>> ran,
    Map<SyscallAbi, SortedSet<Integer>> enosys,
    long dropped) {

  /** The format version this code reads (the summary's first line is {@code syscalls 1}). */
  public static final int VERSION = 1;

  /** A summary line has at most this many numbers (the tracer keeps numbers below 1024). */
  private static final int MAX_NUMBER = 1023;

  public SyscallSummary {
    ran = copy(ran);
    enosys = copy(enosys);
    if (dropped < 0) {
      throw new IllegalArgumentException("dropped " + dropped);
    }
  }

  public static SyscallSummary empty() {
    return new SyscallSummary(Map.of(), Map.of(), 0);
  }

  /**
   * Parses a summary.
   *
   * @param source what errors call it
   * @throws IllegalArgumentException naming {@code source:line} and the text for a line of no known
   *     shape, an unknown ABI, a number out of range or out of order, a repeated line
   */
  public static SyscallSummary parse(String source, String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].equals("syscalls " + VERSION)) {
      throw new IllegalArgumentException(
          source + ":1: not a syscall summary of version " + VERSION + ": " + first(lines));
    }
    Map<SyscallAbi, SortedSet<Integer>> ran = new EnumMap<>(SyscallAbi.class);
    Map<SyscallAbi, SortedSet<Integer>> enosys = new EnumMap<>(SyscallAbi.class);
    long dropped = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String at = source + ":" + (i + 1) + ": ";
      if (line.isEmpty() && i == lines.length - 1) {
        break;
      }
      String[] w = line.split(" ", -1);
      if (w.length == 2 && w[0].equals("dropped") && w[1].matches("[0-9]{1,18}")) {
        dropped = Long.parseLong(w[1]);
        continue;
      }
      if (w.length < 3 || !(w[1].equals("ran") || w[1].equals("enosys"))) {
        throw new IllegalArgumentException(at + "not \"ABI ran|enosys N...\": " + line);
      }
      SyscallAbi abi =
          SyscallAbi.fromWire(w[0])
              .orElseThrow(() -> new IllegalArgumentException(at + "unknown ABI: " + line));
      Map<SyscallAbi, SortedSet<Integer>> into = w[1].equals("ran") ? ran : enosys;
      if (into.containsKey(abi)) {
        throw new IllegalArgumentException(at + "a second \"" + w[0] + " " + w[1] + "\" line");
      }
      SortedSet<Integer> numbers = new TreeSet<>();
      int last = -1;
      for (int j = 2; j < w.length; j++) {
        if (!w[j].matches("[0-9]{1,4}") || Integer.parseInt(w[j]) > MAX_NUMBER) {
          throw new IllegalArgumentException(at + "bad number \"" + w[j] + "\": " + line);
        }
        int n = Integer.parseInt(w[j]);
        if (n <= last) {
          throw new IllegalArgumentException(at + "numbers not ascending at " + n + ": " + line);
        }
        numbers.add(n);
        last = n;
      }
      into.put(abi, numbers);
    }
    return new SyscallSummary(ran, enosys, dropped);
  }

  /** Every number entered in this ABI, ran or not. */
  public SortedSet<Integer> entered(SyscallAbi abi) {
    SortedSet<Integer> all = new TreeSet<>(ran.getOrDefault(abi, Collections.emptySortedSet()));
    all.addAll(enosys.getOrDefault(abi, Collections.emptySortedSet()));
    return all;
  }

  private static String first(String[] lines) {
    String line = lines.length == 0 ? "" : lines[0];
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }

  private static Map<SyscallAbi, SortedSet<Integer>> copy(Map<SyscallAbi, SortedSet<Integer>> m) {
    EnumMap<SyscallAbi, SortedSet<Integer>> out = new EnumMap<>(SyscallAbi.class);
    m.forEach(
        (abi, s) -> {
          if (!s.isEmpty()) {
            out.put(abi, Collections.unmodifiableSortedSet(new TreeSet<>(s)));
          }
        });
    return Collections.unmodifiableMap(out);
  }
}
