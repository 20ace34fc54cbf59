package dev.skinnywhale.tar;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tar headers mutated with a fixed seed — fields changed and the header checksum recomputed, so
 * that the mutation reaches the parser instead of the checksum test — fed to both readers: each
 * archive is read or rejected with {@link TarFormatException} (or {@link EOFException} for a cut
 * stream), never anything else, and the whole run stays within its time bound.
 */
class TarFuzzTest {
  private static final long SEED = 0x7A2_2026L;
  private static final int ROUNDS = 1_500;
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path spool;

  @Test
  void read_mutatedHeaders_onlyFormatExceptions() throws Exception {
    byte[] seed = seedArchive();
    List<Integer> headers = headerOffsets(seed);
    assertTrue(headers.size() >= 8, "headers found: " + headers.size());
    Random random = new Random(SEED);
    int[] outcome = new int[2];
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            byte[] tar = mutate(seed, headers, random);
            boolean streamOk = readStream(tar, round);
            boolean spoolOk = readSpooled(tar, round);
            outcome[streamOk && spoolOk ? 0 : 1]++;
          }
        });
    assertTrue(outcome[0] > 0 && outcome[1] > 0, "read=" + outcome[0] + " rejected=" + outcome[1]);
  }

  private static boolean readStream(byte[] tar, int round) {
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar))) {
      while (r.next().isPresent()) {
        InputStream content = r.content();
        content.transferTo(OutputSink.INSTANCE);
      }
      return true;
    } catch (TarFormatException | EOFException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      fail("stream reader, round " + round + " (seed " + SEED + "): " + e, e);
      return false;
    }
  }

  private boolean readSpooled(byte[] tar, int round) {
    try (RootFs fs = new TarRootFsReader().read(new ByteArrayInputStream(tar), spool)) {
      fs.nodes().forEach(n -> n.path());
      return true;
    } catch (TarFormatException | EOFException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      fail("spooling reader, round " + round + " (seed " + SEED + "): " + e, e);
      return false;
    }
  }

  /** One to three header fields changed, checksums fixed; sometimes the stream is cut. */
  private static byte[] mutate(byte[] seed, List<Integer> headers, Random random) {
    byte[] t = Arrays.copyOf(seed, seed.length);
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) {
      int h = headers.get(random.nextInt(headers.size()));
      switch (random.nextInt(6)) {
        case 0 -> t[h + random.nextInt(512)] = (byte) random.nextInt(256); // any header byte
        case 1 -> field(t, h + 124, 12, random); // size
        case 2 -> t[h + 156] = (byte) "0125673xgLK\0?".charAt(random.nextInt(13)); // type
        case 3 -> field(t, h + 100, 8, random); // mode
        case 4 -> t[h + random.nextInt(100)] = (byte) "/.\0a\u00ff".charAt(random.nextInt(5));
        default ->
            t[h + 512 + random.nextInt(64)] = (byte) "0123456789 =\n".charAt(random.nextInt(13));
      }
      checksum(t, h);
    }
    if (random.nextInt(8) == 0) {
      t = Arrays.copyOf(t, random.nextInt(t.length + 1));
    }
    return t;
  }

  /** An octal field set to a random value: huge, negative-looking, base-256 or garbage. */
  private static void field(byte[] t, int at, int width, Random random) {
    String v =
        switch (random.nextInt(4)) {
          case 0 -> Long.toOctalString(random.nextLong() >>> random.nextInt(64));
          case 1 -> "7".repeat(width - 1);
          case 2 -> "-1";
          default -> "x9";
        };
    Arrays.fill(t, at, at + width, (byte) 0);
    byte[] b = v.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, t, at, Math.min(width - 1, b.length));
    if (random.nextInt(10) == 0) {
      t[at] = (byte) 0x80; // base-256 marker
    }
  }

  private static void checksum(byte[] t, int h) {
    Arrays.fill(t, h + 148, h + 156, (byte) ' ');
    long sum = 0;
    for (int i = h; i < h + 512; i++) {
      sum += t[i] & 0xff;
    }
    byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, t, h + 148, 8);
  }

  /** Blocks whose stored checksum matches: the headers of the seed archive. */
  private static List<Integer> headerOffsets(byte[] t) {
    List<Integer> out = new ArrayList<>();
    for (int h = 0; h + 512 <= t.length; h += 512) {
      byte[] copy = Arrays.copyOfRange(t, h, h + 512);
      String stored = new String(copy, 148, 6, StandardCharsets.US_ASCII).trim();
      if (!stored.matches("[0-7]+")) {
        continue;
      }
      Arrays.fill(copy, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : copy) {
        sum += b & 0xff;
      }
      if (sum == Long.parseLong(stored, 8)) {
        out.add(h);
      }
    }
    return out;
  }

  /** Every kind of entry the writer makes, with PAX headers for long names and big ids. */
  private static byte[] seedArchive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    Instant t = Instant.ofEpochSecond(1_700_000_000L);
    NodeMeta dir = new NodeMeta(0755, 0, 0, "root", "root", t, Map.of());
    NodeMeta file = new NodeMeta(0644, 0, 0, "root", "root", t, Map.of());
    NodeMeta big = new NodeMeta(0644, 10_000_000, 7, "u".repeat(40), "g", t, Map.of());
    w.addDirectory("etc", dir);
    w.addFile("etc/passwd", file, 5, new ByteArrayInputStream("root\n".getBytes()));
    w.addSymlink("etc/link", file, "passwd");
    w.addHardLink("etc/hard", file, "etc/passwd");
    String longName = "srv/" + "n".repeat(150) + "/caf\u00e9";
    w.addDirectory("srv", dir);
    w.addFile(longName, big, 3, new ByteArrayInputStream("abc".getBytes()));
    w.addSymlink("srv/far", file, "/" + "t".repeat(120));
    w.addFifo("srv/fifo", file);
    w.addCharDevice("srv/null", file, 1, 3);
    w.finish();
    return out.toByteArray();
  }

  /** Discards what is written. */
  private static final class OutputSink extends java.io.OutputStream {
    static final OutputSink INSTANCE = new OutputSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
