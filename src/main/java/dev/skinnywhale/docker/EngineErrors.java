package dev.skinnywhale.docker;

import com.github.dockerjava.api.exception.DockerException;
import dev.skinnywhale.docker.EngineException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what docker-java and its transport throw, and the engine's error answers, into {@link
 * EngineException}s classified by HTTP status: docker-java's {@link DockerException} carries the
 * status, the raw calls see it directly.
 */
final class EngineErrors {
  /**
   * The engine's message for a container id prefix that matches several containers. Docker 20.10
   * answers it with HTTP 500 (measured: {@code GET /containers/6/json} with three containers whose
   * ids start with 6), so among server errors only the message tells it; this is the one place that
   * reads it.
   */
  static final String AMBIGUOUS_PREFIX = "Multiple IDs found with provided prefix";

  private static final Pattern STATUS_JSON =
      Pattern.compile("^Status (\\d+): \\{\"message\":\"(.*)\"\\}\\s*$", Pattern.DOTALL);

  private final URI host;

  EngineErrors(URI host) {
    this.host = host;
  }

  URI host() {
    return host;
  }

  /** The kind of an error answer with this status and the engine's message. */
  static Kind classify(int status, String engineMessage) {
    if ((status == 500 || status == 400) && engineMessage.contains(AMBIGUOUS_PREFIX)) {
      return Kind.AMBIGUOUS;
    }
    return Kind.ofStatus(status);
  }

  /** An error answer of a raw call: {@code message} is the text to show. */
  static EngineException answered(int status, String engineMessage, String message) {
    return new EngineException(classify(status, engineMessage), status, message, null);
  }

  /** What docker-java threw while doing {@code what}, as an engine exception. */
  EngineException wrap(String what, RuntimeException e) {
    if (e instanceof EngineException ee) {
      return ee;
    }
    if (isConnectionFailure(e)) {
      return unreachable(what, e);
    }
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    String engineMsg = engineMessage(msg);
    String text = shortIds(what + ": " + engineMsg);
    if (e instanceof DockerException de && de.getHttpStatus() >= 100 && de.getHttpStatus() < 600) {
      int status = de.getHttpStatus();
      return new EngineException(classify(status, engineMsg), status, text, e);
    }
    return new EngineException(Kind.OTHER, text, e);
  }

  /** The engine could not be reached while doing {@code what}. */
  EngineUnavailableException unreachable(String what, Throwable e) {
    return new EngineUnavailableException(
        "cannot reach the Docker engine at " + host + " while " + what + ": " + rootMessage(e), e);
  }

  /** docker-java's "Status 500: {"message":"…"}" as just the engine's message. */
  static String engineMessage(String msg) {
    Matcher m = STATUS_JSON.matcher(msg);
    return m.matches() ? m.group(2).replace("\\\"", "\"") : msg;
  }

  /** Full 64-digit ids shortened to the 12 digits people see in docker ps. */
  static String shortIds(String msg) {
    return msg.replaceAll("\\b([0-9a-f]{12})[0-9a-f]{52}\\b", "$1");
  }

  /**
   * Whether {@code e} says that no connection could be made: refused, no route, an unknown host, or
   * a unix socket that is not there (the JDK reports that as a plain {@code SocketException}, so
   * the socket file itself is checked).
   */
  boolean isConnectionFailure(Throwable e) {
    boolean io = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
      io |= t instanceof IOException;
    }
    return io && missingSocket();
  }

  private boolean missingSocket() {
    if (!"unix".equals(host.getScheme()) || host.getPath() == null || host.getPath().isEmpty()) {
      return false;
    }
    return !Files.exists(Path.of(host.getPath()));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
