package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.skinnywhale.docker.EngineException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The raw calls over a hand-written transport: paths, methods, and error answers by status. */
class EngineTransportTest {
  private final FakeHttp http = new FakeHttp();
  private final EngineTransport raw =
      new EngineTransport(
          http, new ObjectMapper(), new EngineErrors(URI.create("unix:///var/run/docker.sock")));

  @Test
  void testGetJson_objectAnswer() {
    http.answer(200, "{\"Id\":\"abc\"}");
    assertEquals(
        "abc", raw.getJson("/containers/abc/json", "inspecting").get().path("Id").asText());
    assertEquals(List.of("GET /containers/abc/json"), http.requests);
    assertEquals(1, http.closed);
  }

  @Test
  void testGetJson_notFoundIsEmpty() {
    http.answer(404, "{\"message\":\"No such container: x\"}");
    assertTrue(raw.getJson("/containers/x/json", "inspecting container x").isEmpty());
  }

  /** Docker 20.10's answer for a container id prefix that several containers share. */
  @Test
  void testGetJson_ambiguousPrefix() {
    http.answer(500, "{\"message\":\"Multiple IDs found with provided prefix: 6\"}");
    EngineException e =
        assertThrows(
            EngineException.class,
            () -> raw.getJson("/containers/6/json?size=1", "inspecting container 6"));
    assertEquals(Kind.AMBIGUOUS, e.kind());
    assertEquals(OptionalInt.of(500), e.status());
    assertEquals(
        "inspecting container 6: engine answered 500: Multiple IDs found with provided prefix: 6",
        e.getMessage());
  }

  @Test
  void testGetJson_serverError() {
    http.answer(500, "{\"message\":\"layer does not exist\"}");
    EngineException e =
        assertThrows(EngineException.class, () -> raw.getJson("/images/x/json", "inspecting"));
    assertEquals(Kind.SERVER, e.kind());
  }

  @Test
  void testGetJson_notAnObject() {
    http.answer(200, "[1]");
    EngineException e =
        assertThrows(EngineException.class, () -> raw.getJson("/images/x/json", "inspecting"));
    assertEquals(Kind.OTHER, e.kind());
  }

  @Test
  void testGet_streamsTheBodyAndClosesTheAnswerWithIt() throws IOException {
    http.answer(200, "tar bytes");
    try (InputStream in = raw.get("/containers/c/export", "exporting c")) {
      assertEquals(0, http.closed);
      assertEquals("tar bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(1, http.closed);
  }

  @Test
  void testGet_notFound() {
    http.answer(404, "{\"message\":\"Could not find the file /x in container c\"}");
    EngineException e =
        assertThrows(
            EngineException.class, () -> raw.get("/containers/c/archive?path=%2Fx", "copying"));
    assertEquals(Kind.NOT_FOUND, e.kind());
    assertEquals("copying: not found: Could not find the file /x in container c", e.getMessage());
    assertEquals(1, http.closed);
  }

  @Test
  void testGet_conflict() {
    http.answer(409, "{\"message\":\"container is paused\"}");
    EngineException e = assertThrows(EngineException.class, () -> raw.get("/x", "exporting c"));
    assertEquals(Kind.CONFLICT, e.kind());
    assertEquals("exporting c: engine answered 409: container is paused", e.getMessage());
  }

  @Test
  void testPutArchive_putsTheTarAtTheDirectory() throws IOException {
    http.answer(200, "");
    raw.putArchive("c1", "/", new ByteArrayInputStream(new byte[] {1, 2, 3}), "copying into /");
    assertEquals(
        List.of("PUT /containers/c1/archive?path=%2F&noOverwriteDirNonDir=false&copyUIDGID=false"),
        http.requests);
    assertEquals("application/x-tar", http.headers.get(0).get("Content-Type"));
    assertArrayEquals(new byte[] {1, 2, 3}, http.bodies.get(0));
    assertEquals(1, http.closed);
  }

  @Test
  void testPutArchive_refused() {
    http.answer(403, "{\"message\":\"container rootfs is marked read-only\"}");
    EngineException e =
        assertThrows(
            EngineException.class,
            () -> raw.putArchive("c1", "/", InputStream.nullInputStream(), "copying into /"));
    assertEquals(Kind.REFUSED, e.kind());
    assertEquals("copying into /: container rootfs is marked read-only", e.getMessage());
  }

  @Test
  void testLoad_errorInsideTheAnswer() {
    http.answer(
        200, "{\"stream\":\"Loading layer\"}\r\n{\"errorDetail\":{},\"error\":\"bad tar\"}\n");
    EngineException e =
        assertThrows(EngineException.class, () -> raw.load(InputStream.nullInputStream()));
    assertEquals("loading the image: bad tar", e.getMessage());
    assertEquals(Kind.OTHER, e.kind());
    assertEquals(List.of("POST /images/load?quiet=1"), http.requests);
  }

  @Test
  void testLoad_ok() {
    http.answer(200, "{\"stream\":\"Loaded image ID: sha256:ab\"}\n\n");
    raw.load(InputStream.nullInputStream());
    assertEquals(1, http.closed);
  }

  @Test
  void testLoad_badRequest() {
    http.answer(400, "{\"message\":\"unexpected EOF\"}");
    EngineException e =
        assertThrows(EngineException.class, () -> raw.load(InputStream.nullInputStream()));
    assertEquals(Kind.BAD_REQUEST, e.kind());
  }

  @Test
  void testIsReference_rejectsPathTricks() {
    assertTrue(EngineTransport.isReference("local/debian:bookworm"));
    assertTrue(EngineTransport.isReference("6"));
    assertTrue(EngineTransport.isReference("img@sha256:ab"));
    for (String bad : List.of("", "../x", "/etc", "a?b", "a#b", "a//b", "x/../y", "-rf")) {
      assertFalse(EngineTransport.isReference(bad), bad);
    }
  }

  @Test
  void testEncode_keepsReferenceCharacters() {
    assertEquals("local/debian:bookworm", EngineTransport.encode("local/debian:bookworm"));
    assertEquals("a%2Bb", EngineTransport.encode("a+b"));
    assertEquals("%2Fa%20b", EngineTransport.encodeQuery("/a b"));
  }

  /** Answers each request with the next queued answer and records what was asked. */
  private static final class FakeHttp implements DockerHttpClient {
    final Deque<Object[]> answers = new ArrayDeque<>();
    final List<String> requests = new ArrayList<>();
    final List<Map<String, String>> headers = new ArrayList<>();
    final List<byte[]> bodies = new ArrayList<>();
    int closed;

    void answer(int status, String body) {
      answers.add(new Object[] {status, body});
    }

    @Override
    public Response execute(Request request) {
      requests.add(request.method() + " " + request.path());
      headers.add(request.headers());
      try {
        bodies.add(request.body() == null ? new byte[0] : request.body().readAllBytes());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      Object[] a = answers.remove();
      int status = (Integer) a[0];
      byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
      return new Response() {
        private final InputStream in = new ByteArrayInputStream(body);

        @Override
        public int getStatusCode() {
          return status;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
          return Map.of();
        }

        @Override
        public InputStream getBody() {
          return in;
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }

    @Override
    public void close() {}
  }
}
