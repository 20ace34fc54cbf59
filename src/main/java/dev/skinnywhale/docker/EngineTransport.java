package dev.skinnywhale.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The engine's HTTP API called raw through docker-java's transport, for what docker-java lacks
 * (export), loses (inspect answers, read as JSON so no config field is dropped) or buffers (archive
 * in and out, load: streamed both ways). Error answers become {@link EngineException}s classified
 * by their status.
 */
final class EngineTransport {
  private final DockerHttpClient http;
  private final ObjectMapper json;
  private final EngineErrors errors;

  EngineTransport(DockerHttpClient http, ObjectMapper json, EngineErrors errors) {
    this.http = http;
    this.json = json;
    this.errors = errors;
  }

  /** A GET answered with a JSON object; empty when the engine says 404. */
  Optional<ObjectNode> getJson(String path, String what) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder().method(Method.GET).path(path).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      int status = response.getStatusCode();
      byte[] body = response.getBody().readAllBytes();
      if (status == 404) {
        return Optional.empty();
      }
      if (status / 100 != 2) {
        String msg = message(body);
        throw EngineErrors.answered(status, msg, what + ": engine answered " + status + ": " + msg);
      }
      JsonNode node = json.readTree(body);
      if (!(node instanceof ObjectNode object)) {
        throw new EngineException(what + ": engine answered with no JSON object");
      }
      return Optional.of(object);
    } catch (IOException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
  }

  /** A GET whose answer is streamed (export, archive out); the caller closes it. */
  InputStream get(String path, String what) {
    return stream(Method.GET, path, null, what);
  }

  /** Extracts a tar stream at a directory of a container ({@code PUT .../archive}). */
  void putArchive(String containerId, String directory, InputStream tar, String what) {
    String path =
        "/containers/"
            + encode(containerId)
            + "/archive?path="
            + encodeQuery(directory)
            + "&noOverwriteDirNonDir=false&copyUIDGID=false";
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(Method.PUT)
            .path(path)
            .body(tar)
            .putHeader("Content-Type", "application/x-tar")
            .build();
    DockerHttpClient.Response response;
    try {
      response = http.execute(request);
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
    try (response) {
      int status = response.getStatusCode();
      byte[] body = response.getBody().readAllBytes();
      if (status / 100 != 2) {
        String msg = message(body);
        throw EngineErrors.answered(status, msg, EngineErrors.shortIds(what + ": " + msg));
      }
    } catch (IOException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code argv} as root in a running container with its stdout streamed ({@code POST
   * /containers/{id}/exec}, then {@code /exec/{id}/start} read as it comes).
   */
  ExecStream exec(String containerId, java.util.List<String> argv) {
    return exec(containerId, argv, null);
  }

  /**
   * {@code argv} run with its stdin attached to {@code session}'s input: the exec's start is
   * hijacked (the engine's upgrade to a raw stream both ways).
   */
  ExecSession session(String containerId, java.util.List<String> argv) {
    ExecSession session = new ExecSession();
    session.output(exec(containerId, argv, session));
    return session;
  }

  private ExecStream exec(String containerId, java.util.List<String> argv, ExecSession session) {
    String what = "running " + argv.get(0) + " in container " + containerId;
    ObjectNode create = json.createObjectNode();
    create.put("AttachStdout", true).put("AttachStderr", true).put("Tty", false).put("User", "0");
    if (session != null) {
      create.put("AttachStdin", true);
    }
    argv.forEach(create.putArray("Cmd")::add);
    String id;
    try (InputStream answer =
        stream(
            Method.POST,
            "/containers/" + encode(containerId) + "/exec",
            new java.io.ByteArrayInputStream(json.writeValueAsBytes(create)),
            "application/json",
            what)) {
      id = json.readTree(answer).path("Id").asText();
    } catch (IOException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    }
    if (id.isEmpty() || !isReference(id)) {
      throw new EngineException(what + ": the engine gave no exec id");
    }
    InputStream out =
        stream(
            Method.POST,
            "/exec/" + id + "/start",
            new java.io.ByteArrayInputStream(
                "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8)),
            "application/json",
            session == null ? null : session.input(),
            what);
    return new ExecStream(
        out,
        () ->
            getJson("/exec/" + id + "/json", what)
                .map(j -> j.path("ExitCode"))
                .filter(JsonNode::isInt)
                .map(JsonNode::asInt));
  }

  /** Loads a {@code docker load} archive; the engine streams JSON messages back. */
  void load(InputStream archive) {
    String what = "loading the image";
    InputStream response = stream(Method.POST, "/images/load?quiet=1", archive, what);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response, StandardCharsets.UTF_8))) {
      // An error arrives as {"errorDetail":…,"error":"…"} in a 200 answer.
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode msg = json.readTree(line);
        if (msg.hasNonNull("error")) {
          throw new EngineException(what + ": " + msg.get("error").asText());
        }
      }
    } catch (IOException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    }
  }

  private InputStream stream(Method method, String path, InputStream body, String what) {
    return stream(method, path, body, "application/x-tar", what);
  }

  private InputStream stream(
      Method method, String path, InputStream body, String contentType, String what) {
    return stream(method, path, body, contentType, null, what);
  }

  /** With {@code hijacked}: the connection upgraded to a raw stream, that copied up it. */
  private InputStream stream(
      Method method,
      String path,
      InputStream body,
      String contentType,
      InputStream hijacked,
      String what) {
    DockerHttpClient.Request.Builder builder =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      builder.body(body).putHeader("Content-Type", contentType);
    }
    if (hijacked != null) {
      builder.hijackedInput(hijacked);
    }
    DockerHttpClient.Response response;
    try {
      response = http.execute(builder.build());
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
    int status = response.getStatusCode();
    if (status / 100 != 2) {
      String msg;
      try {
        msg = message(response.getBody().readAllBytes());
      } catch (IOException e) {
        msg = e.getMessage();
      } finally {
        response.close();
      }
      String text =
          status == 404
              ? what + ": not found: " + msg
              : what + ": engine answered " + status + ": " + msg;
      throw EngineErrors.answered(status, msg, text);
    }
    return new FilterInputStream(response.getBody()) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          response.close();
        }
      }
    };
  }

  /** The engine's {"message": …} of an error answer, or the body as text. */
  private String message(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON
    }
    return new String(body, StandardCharsets.UTF_8).strip();
  }

  /**
   * Whether {@code ref} can name a container or image: no path tricks ("..", a leading '/', '?',
   * '#') reach the engine's URL space.
   */
  static boolean isReference(String ref) {
    return !ref.isEmpty()
        && ref.length() <= 512
        && ref.matches("[A-Za-z0-9][A-Za-z0-9._:/@+-]*")
        && !ref.contains("..")
        && !ref.contains("//");
  }

  /** Percent-encodes a container or image reference for a path, keeping '/', ':' and '@'. */
  static String encode(String ref) {
    StringBuilder out = new StringBuilder();
    for (byte b : ref.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/:@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static String encodeQuery(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
