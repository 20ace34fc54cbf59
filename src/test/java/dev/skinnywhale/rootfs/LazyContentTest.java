package dev.skinnywhale.rootfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetched content let go of once its users are done, and fetched again when asked for after. */
class LazyContentTest {
  @TempDir Path tmp;

  private final List<List<String>> calls = new ArrayList<>();

  private LazyContent content(Map<String, byte[]> files) throws IOException {
    return new LazyContent(
        (paths, sink) -> {
          calls.add(List.copyOf(paths));
          for (String p : paths) {
            byte[] b = files.get(p);
            sink.accept(p, b.length, new ByteArrayInputStream(b));
          }
        },
        tmp);
  }

  private List<Path> spools() throws IOException {
    try (var s = Files.list(tmp)) {
      return s.toList();
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static byte[] all(ByteBuffer buf) {
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  @Test
  void release_deletesTheSpoolAndTheNextReadFetchesAgain() throws IOException {
    byte[] a = bytes(10_000);
    try (LazyContent content = content(Map.of("/a", a))) {
      Blob blob = content.blob("/a", a.length);
      content.prefetch(List.of("/a"));
      Path first = spools().get(0);
      assertEquals(a.length, Files.size(first));

      content.release();
      assertFalse(Files.exists(first), "the spool of what was fetched is deleted");
      assertEquals(1, spools().size());
      assertEquals(0, Files.size(spools().get(0)));
      assertEquals(1, calls.size());

      assertArrayEquals(a, all(blob.read(a.length)));
      assertEquals(List.of(List.of("/a"), List.of("/a")), calls);
      try (InputStream in = blob.open()) {
        assertArrayEquals(a, in.readAllBytes());
      }
      assertEquals(2, calls.size());
    }
    assertEquals(List.of(), spools(), "closing deletes the new spool too");
  }

  @Test
  void release_aStreamOpenedBeforeFailsRatherThanReadingAnotherFilesBytes() throws IOException {
    byte[] a = bytes(5_000);
    byte[] b = bytes(7_000);
    try (LazyContent content = content(Map.of("/a", a, "/b", b))) {
      Blob blobA = content.blob("/a", a.length);
      Blob blobB = content.blob("/b", b.length);
      content.prefetch(List.of("/a", "/b"));
      InputStream before = blobB.open();
      content.release();
      content.prefetch(List.of("/a"));
      assertThrows(IOException.class, before::readAllBytes);
      assertArrayEquals(a, all(blobA.read(a.length)));
    }
  }

  @Test
  void release_withNothingFetched_keepsTheEmptySpool() throws IOException {
    try (LazyContent content = content(Map.of())) {
      Path spool = spools().get(0);
      content.release();
      assertEquals(List.of(spool), spools());
      assertTrue(calls.isEmpty());
    }
  }

  @Test
  void read_smallCopiedToTheHeap_largeMapped_bothTheFilesBytes() throws IOException {
    byte[] small = bytes(100_000);
    byte[] large = bytes((int) LazyContent.MAX_HEAP_READ + 1);
    try (LazyContent content = content(Map.of("/small", small, "/large", large))) {
      ByteBuffer s = content.blob("/small", small.length).read(small.length);
      ByteBuffer l = content.blob("/large", large.length).read(large.length);
      assertFalse(s.isDirect(), "a small read is a heap copy");
      assertTrue(l.isDirect(), "a large read is a mapping");
      assertTrue(s.isReadOnly() && l.isReadOnly());
      assertArrayEquals(small, all(s));
      assertArrayEquals(large, all(l));
    }
  }

  @Test
  void closed_aLaterFetchFailsAndReleaseDoesNothing() throws IOException {
    byte[] a = bytes(3_000);
    LazyContent content = content(Map.of("/a", a));
    Blob blob = content.blob("/a", a.length);
    content.prefetch(List.of("/a"));
    content.close();
    content.release();
    assertThrows(IOException.class, () -> content.prefetch(List.of("/a")));
    assertThrows(IOException.class, () -> blob.read(a.length));
    assertEquals(1, calls.size(), "nothing was fetched after the close");
    assertEquals(List.of(), spools());
  }
}
