package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AccessSetTest {
  private static final Access READ = new Access(AccessKind.OPEN_READ, true, 1);
  private static final Access WRITE = new Access(AccessKind.OPEN_WRITE, true, 2);
  private static final Access MISSING = new Access(AccessKind.STAT, false, 1);

  private static AccessSet of(String path, Access... accesses) {
    SortedMap<String, Set<Access>> m = new TreeMap<>();
    m.put(path, new HashSet<>(List.of(accesses)));
    return new AccessSet(m, new TreeMap<>());
  }

  @Test
  void constructor_copiesItsInput() {
    TreeMap<String, Set<Access>> m = new TreeMap<>();
    HashSet<Access> accesses = new HashSet<>(Set.of(READ));
    m.put("/a", accesses);
    AccessSet s = new AccessSet(m, new TreeMap<>());
    accesses.add(WRITE);
    m.put("/b", Set.of(READ));
    assertEquals(Set.of("/a"), s.paths());
    assertEquals(Set.of(READ), s.byPath().get("/a"));
  }

  @Test
  void accessors_areUnmodifiable() {
    AccessSet s = of("/a", READ);
    assertThrows(UnsupportedOperationException.class, () -> s.byPath().put("/b", Set.of()));
    assertThrows(UnsupportedOperationException.class, () -> s.byPath().get("/a").add(WRITE));
    assertThrows(UnsupportedOperationException.class, () -> s.unknownSyscalls().put("x", 1L));
    assertThrows(UnsupportedOperationException.class, () -> s.paths().add("/c"));
  }

  @Test
  void helpers_successfulAndCreated() {
    AccessSet s = of("/r", READ).merge(of("/w", WRITE)).merge(of("/m", MISSING));
    assertEquals(Set.of("/m", "/r", "/w"), s.paths());
    assertEquals(Set.of("/r", "/w"), s.successfulPaths());
    assertEquals(Set.of("/w"), s.createdPaths());
  }

  @Test
  void createdPaths_includeSuccessfulCreationsOnly() {
    AccessSet s =
        of("/made", new Access(AccessKind.CREATE, true, 1))
            .merge(of("/not-made", new Access(AccessKind.CREATE, false, 1)))
            .merge(of("/removed", new Access(AccessKind.REMOVE, true, 1)))
            .merge(of("/w", WRITE));
    assertEquals(Set.of("/made", "/w"), s.createdPaths());
  }

  @Test
  void merge_unionsAccessesAndSumsUnknownCounts() {
    AccessSet a =
        new AccessSet(
            new TreeMap<>(java.util.Map.of("/x", Set.of(READ))),
            new TreeMap<>(java.util.Map.of("mmap", 2L)));
    AccessSet b =
        new AccessSet(
            new TreeMap<>(java.util.Map.of("/x", Set.of(MISSING))),
            new TreeMap<>(java.util.Map.of("mmap", 3L, "brk", 1L)));
    AccessSet m = a.merge(b);
    assertEquals(Set.of(READ, MISSING), m.byPath().get("/x"));
    assertEquals(5L, m.unknownSyscalls().get("mmap"));
    assertEquals(1L, m.unknownSyscalls().get("brk"));
    assertEquals(Set.of(READ), a.byPath().get("/x"), "merge must not change its inputs");
  }

  @Test
  void accesses_iterateInAStableOrder() {
    AccessSet s = of("/a", WRITE, MISSING, READ, new Access(AccessKind.OPEN_READ, false, 9));
    assertEquals(
        List.of(new Access(AccessKind.OPEN_READ, false, 9), READ, WRITE, MISSING),
        List.copyOf(s.byPath().get("/a")));
  }
}
