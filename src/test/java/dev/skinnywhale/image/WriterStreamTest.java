package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A writer's output read through a pipe as it is written. */
class WriterStreamTest {
  @Test
  void read_allTheWriterWrote_thenTheEnd() throws IOException {
    byte[] data = new byte[3 << 20]; // past any pipe buffer: the writer blocks until read
    new Random(7).nextBytes(data);
    try (InputStream in =
        WriterStream.start(
            "test",
            out -> {
              for (int i = 0; i < data.length; i += 1000) {
                out.write(data, i, Math.min(1000, data.length - i));
              }
            })) {
      assertArrayEquals(data, in.readAllBytes());
      assertEquals(-1, in.read());
    }
  }

  @Test
  void writerFailsHalfWay_theReaderGetsItsFailureNotAnEnd() throws IOException {
    try (InputStream in =
        WriterStream.start(
            "test",
            out -> {
              out.write(new byte[100_000]);
              throw new IOException("layer file vanished");
            })) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("layer file vanished"), e.getMessage());
    }
  }

  @Test
  void writerThrowsUnchecked_reportedAsAnIoFailure() throws IOException {
    try (InputStream in =
        WriterStream.start(
            "test",
            out -> {
              throw new IllegalStateException("bad config");
            })) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("bad config"), e.getMessage());
    }
  }

  @Test
  void closedBeforeTheEnd_theBlockedWriterFailsAndHasEndedWhenCloseReturns() throws Exception {
    AtomicReference<Throwable> writerSaw = new AtomicReference<>();
    CountDownLatch writing = new CountDownLatch(1);
    InputStream in =
        WriterStream.start(
            "test",
            out -> {
              writing.countDown();
              try {
                while (true) {
                  out.write(new byte[1 << 16]);
                }
              } catch (IOException e) {
                writerSaw.set(e);
                throw e;
              }
            });
    assertTrue(writing.await(10, TimeUnit.SECONDS));
    assertEquals(1 << 10, in.readNBytes(1 << 10).length);
    in.close();
    assertTrue(writerSaw.get() instanceof IOException, String.valueOf(writerSaw.get()));
  }
}
