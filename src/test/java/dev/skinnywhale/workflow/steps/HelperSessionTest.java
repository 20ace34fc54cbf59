package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.docker.ExecSession;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A serve session answers batch after batch: a path the helper could not read fails that batch
 * only; an answer cut short, or a sink that fails midway, breaks it for good.
 */
class HelperSessionTest {
  @Test
  void fetch_answersInTurn_aMissingPathFailsOnlyItsBatch() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    answer(wire, tar(), 0); // the handshake
    answer(wire, tar("a", "one"), 0);
    answer(wire, tar(), 1); // /missing could not be read
    answer(wire, tar("b", "two"), 0);
    HelperSession session = HelperSession.open(engine(wire.toByteArray()), "helper");
    List<String> got = new ArrayList<>();
    LazySinkRecorder sink = new LazySinkRecorder(got);
    session.fetch(List.of("/a"), sink);
    IOException e = assertThrows(IOException.class, () -> session.fetch(List.of("/missing"), sink));
    assertTrue(e.getMessage().contains("exit code 1"), e.getMessage());
    assertFalse(session.broken(), "a path it could not read leaves it in step");
    session.fetch(List.of("/b"), sink);
    assertEquals(List.of("/a=one", "/b=two"), got);
  }

  @Test
  void fetch_anAnswerCutShort_breaksItForGood() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    answer(wire, tar(), 0);
    byte[] cut = java.util.Arrays.copyOf(tar("a", "one"), 700);
    stdout(wire, frame('D', cut));
    HelperSession session = HelperSession.open(engine(wire.toByteArray()), "helper");
    List<String> got = new ArrayList<>();
    assertThrows(IOException.class, () -> session.fetch(List.of("/a"), new LazySinkRecorder(got)));
    assertTrue(session.broken());
    assertFalse(session.brokenBySink());
    IOException again =
        assertThrows(
            IOException.class, () -> session.fetch(List.of("/a"), new LazySinkRecorder(got)));
    assertTrue(again.getMessage().contains("broke off"), again.getMessage());
  }

  @Test
  void fetch_anAnswerCutInsideAFilesContent_brokenButNotBySink() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    answer(wire, tar(), 0);
    byte[] whole = tar("a", "one");
    ByteArrayOutputStream cut = new ByteArrayOutputStream();
    cut.writeBytes(header('D', whole.length)); // the frame says all of it, the stream ends at 514
    cut.write(whole, 0, 514);
    stdout(wire, cut.toByteArray());
    HelperSession session = HelperSession.open(engine(wire.toByteArray()), "helper");
    List<String> got = new ArrayList<>();
    assertThrows(IOException.class, () -> session.fetch(List.of("/a"), new LazySinkRecorder(got)));
    assertTrue(session.broken());
    assertFalse(
        session.brokenBySink(), "the answer's failure, read by the sink, is not the sink's");
  }

  @Test
  void fetch_theSinkFails_brokenBySink() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    answer(wire, tar(), 0);
    answer(wire, tar("a", "one"), 0);
    HelperSession session = HelperSession.open(engine(wire.toByteArray()), "helper");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                session.fetch(
                    List.of("/a"),
                    (path, size, in) -> {
                      in.readNBytes((int) size); // read whole, then fail on its own
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertTrue(session.brokenBySink());
  }

  @Test
  void fetch_anEmptyPath_refusedBeforeAnythingIsSent() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    answer(wire, tar(), 0);
    HelperSession session = HelperSession.open(engine(wire.toByteArray()), "helper");
    assertThrows(
        IllegalArgumentException.class,
        () -> session.fetch(List.of("/a", ""), (path, size, in) -> {}));
  }

  @Test
  void open_noAnswer_orNoSession_anIOException() {
    // the stream ends before the handshake's answer
    IOException e =
        assertThrows(IOException.class, () -> HelperSession.open(engine(new byte[0]), "helper"));
    assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    DockerEngine none = proxy(null);
    assertThrows(IOException.class, () -> HelperSession.open(none, "helper"));
  }

  /** Records each file as path=content. */
  private record LazySinkRecorder(List<String> got)
      implements dev.skinnywhale.rootfs.LazyContent.Sink {
    @Override
    public void accept(String path, long size, java.io.InputStream in) throws IOException {
      got.add(path + "=" + new String(in.readNBytes((int) size), StandardCharsets.US_ASCII));
    }
  }

  private static DockerEngine engine(byte[] stdout) {
    return proxy(stdout);
  }

  /** An engine whose only call is execSession: answering {@code stdout}, or refusing if null. */
  private static DockerEngine proxy(byte[] stdout) {
    return (DockerEngine)
        java.lang.reflect.Proxy.newProxyInstance(
            HelperSessionTest.class.getClassLoader(),
            new Class<?>[] {DockerEngine.class},
            (p, method, args) -> {
              if (!method.getName().equals("execSession")) {
                throw new UnsupportedOperationException(method.getName());
              }
              if (stdout == null) {
                throw new EngineException("this engine cannot attach a command's input");
              }
              return ExecSession.over(new ByteArrayInputStream(stdout));
            });
  }

  /** A tar of files given as name, content pairs (no leading '/': the helper writes none). */
  private static byte[] tar(String... nameAndContent) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    for (int i = 0; i < nameAndContent.length; i += 2) {
      byte[] content = nameAndContent[i + 1].getBytes(StandardCharsets.US_ASCII);
      w.addFile(
          nameAndContent[i],
          new NodeMeta(0644, 0, 0, "", "", Instant.EPOCH, Map.of()),
          content.length,
          new ByteArrayInputStream(content));
    }
    w.finish();
    return out.toByteArray();
  }

  /** One answer: its tar in a D frame, then its E frame, as the engine's stdout frames. */
  private static void answer(ByteArrayOutputStream wire, byte[] tar, int status) {
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ours.writeBytes(frame('D', tar));
    ours.writeBytes(header('E', status));
    stdout(wire, ours.toByteArray());
  }

  private static byte[] frame(char kind, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header(kind, data.length));
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static byte[] header(char kind, long n) {
    return new byte[] {
      (byte) kind, 0, 0, 0, (byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n
    };
  }

  /** {@code data} as one stdout frame of the engine's multiplexed stream. */
  private static void stdout(ByteArrayOutputStream wire, byte[] data) {
    wire.writeBytes(new byte[] {1, 0, 0, 0});
    wire.writeBytes(
        new byte[] {
          (byte) (data.length >> 24),
          (byte) (data.length >> 16),
          (byte) (data.length >> 8),
          (byte) data.length
        });
    wire.writeBytes(data);
  }
}
