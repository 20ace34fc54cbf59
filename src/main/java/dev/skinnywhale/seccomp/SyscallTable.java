package dev.skinnywhale.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Syscall numbers and names per ABI, from the table generated from the kernel's UAPI headers
 * ({@code syscalls.tsv} beside this class, made by {@code src/main/sh/gen-syscall-table}; its
 * header says from which kernel). There is no table for 32-bit ARM: its numbers have no names.
 */
public final class SyscallTable {
  /** The resource the shipped table is read from. */
  public static final String RESOURCE = "syscalls.tsv";

  private static final int MAX_NUMBER = 4095;

  private final Map<SyscallAbi, SortedMap<Integer, String>> byAbi;

  private SyscallTable(Map<SyscallAbi, SortedMap<Integer, String>> byAbi) {
    EnumMap<SyscallAbi, SortedMap<Integer, String>> copy = new EnumMap<>(SyscallAbi.class);
    byAbi.forEach((abi, m) -> copy.put(abi, Collections.unmodifiableSortedMap(new TreeMap<>(m))));
    this.byAbi = Collections.unmodifiableMap(copy);
  }

  /** The table shipped in the jar. */
  public static SyscallTable shipped() {
    try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " in this build");
      }
      return parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  /**
   * Parses {@code ABI<TAB>NUMBER<TAB>NAME} lines; {@code #} starts a comment line.
   *
   * @throws IllegalArgumentException naming {@code source:line} for a line of another shape, an
   *     unknown ABI, or a number given twice in one ABI
   */
  public static SyscallTable parse(String source, String text) {
    Map<SyscallAbi, SortedMap<Integer, String>> out = new EnumMap<>(SyscallAbi.class);
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String at = source + ":" + lineNo + ": ";
      if (f.length != 3 || !f[1].matches("[0-9]{1,4}") || !f[2].matches("[a-z0-9_]+")) {
        throw new IllegalArgumentException(at + "not ABI<TAB>NUMBER<TAB>NAME: " + line);
      }
      SyscallAbi abi =
          SyscallAbi.fromWire(f[0])
              .orElseThrow(() -> new IllegalArgumentException(at + "unknown ABI " + f[0]));
      int nr = Integer.parseInt(f[1]);
      if (nr > MAX_NUMBER) {
        throw new IllegalArgumentException(at + "number out of range: " + nr);
      }
      if (out.computeIfAbsent(abi, a -> new TreeMap<>()).putIfAbsent(nr, f[2]) != null) {
        throw new IllegalArgumentException(at + f[0] + " " + nr + " given twice");
      }
    }
    return new SyscallTable(out);
  }

  /** The name of a number of an ABI; empty when the table has none (or no table for the ABI). */
  public Optional<String> name(SyscallAbi abi, int number) {
    return Optional.ofNullable(byAbi.getOrDefault(abi, Collections.emptySortedMap()).get(number));
  }

  /** Every number of an ABI with its name, by number (empty when there is no table for it). */
  public SortedMap<Integer, String> numbers(SyscallAbi abi) {
    return byAbi.getOrDefault(abi, Collections.emptySortedMap());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyscallTable t && t.byAbi.equals(byAbi);
  }

  @Override
  public int hashCode() {
    return Objects.hash(byAbi);
  }
}
