package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import dev.skinnywhale.docker.EngineException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineErrorsTest {
  private static final String ID =
      "6551ac45a704720bf39e2cbd6e698a5d269de3953254cc83c94f1d081e27bca4";

  private final EngineErrors errors = new EngineErrors(URI.create("unix:///var/run/docker.sock"));

  /** docker-java's exceptions, as its transport throws them for an error answer. */
  static Stream<Arguments> dockerJava() {
    return Stream.of(
        Arguments.of(new BadRequestException(json("invalid reference format")), Kind.BAD_REQUEST),
        Arguments.of(new NotFoundException(json("No such container: " + ID)), Kind.NOT_FOUND),
        Arguments.of(new ConflictException(json("Container is not running")), Kind.CONFLICT),
        Arguments.of(new UnauthorizedException(json("denied")), Kind.REFUSED),
        Arguments.of(new DockerException(json("forbidden"), 403), Kind.REFUSED),
        Arguments.of(new InternalServerErrorException(json("driver failed")), Kind.SERVER),
        Arguments.of(new DockerException(json("unavailable"), 503), Kind.SERVER),
        Arguments.of(
            new InternalServerErrorException(json("Multiple IDs found with provided prefix: 6")),
            Kind.AMBIGUOUS));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("dockerJava")
  void testWrap_classifiedByStatus(DockerException e, Kind kind) {
    EngineException wrapped = errors.wrap("doing it", e);
    assertEquals(kind, wrapped.kind());
    assertEquals(OptionalInt.of(e.getHttpStatus()), wrapped.status());
    assertTrue(wrapped.getMessage().startsWith("doing it: "), wrapped.getMessage());
    assertFalse(wrapped.getMessage().contains("Status "), "docker-java's prefix is removed");
    assertFalse(wrapped instanceof EngineUnavailableException);
  }

  @Test
  void testWrap_engineMessageWithFullIdsShortened() {
    EngineException e = errors.wrap("starting " + ID, new NotFoundException(json("No such " + ID)));
    assertEquals("starting 6551ac45a704: No such 6551ac45a704", e.getMessage());
  }

  @Test
  void testWrap_clientSideFailureHasNoStatus() {
    EngineException e = errors.wrap("waiting", new DockerClientException("Error while wait"));
    assertEquals(Kind.OTHER, e.kind());
    assertEquals(OptionalInt.empty(), e.status());
    assertEquals("waiting: Error while wait", e.getMessage());
  }

  @Test
  void testWrap_engineExceptionPassesThrough() {
    EngineException original = new EngineException(Kind.CONFLICT, 409, "x", null);
    assertEquals(original, errors.wrap("doing it", original));
  }

  @Test
  void testWrap_connectionRefusedIsUnavailable() {
    EngineException e =
        errors.wrap("pinging", new RuntimeException(new ConnectException("Connection refused")));
    assertInstanceOf(EngineUnavailableException.class, e);
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(
        "cannot reach the Docker engine at unix:///var/run/docker.sock while pinging:"
            + " Connection refused",
        e.getMessage());
  }

  @Test
  void testWrap_missingUnixSocketIsUnavailable(@TempDir Path dir) {
    EngineErrors missing = new EngineErrors(URI.create("unix://" + dir.resolve("none.sock")));
    RuntimeException e = new RuntimeException(new SocketException("No such file or directory"));
    assertEquals(Kind.UNAVAILABLE, missing.wrap("pinging", e).kind());
  }

  @Test
  void testWrap_socketErrorWithSocketPresentIsNotUnavailable(@TempDir Path dir) throws IOException {
    Path socket = Files.createFile(dir.resolve("docker.sock"));
    EngineErrors present = new EngineErrors(URI.create("unix://" + socket));
    RuntimeException e = new RuntimeException(new SocketException("Connection reset"));
    EngineException wrapped = present.wrap("exporting", e);
    assertEquals(Kind.OTHER, wrapped.kind());
    assertFalse(wrapped instanceof EngineUnavailableException);
  }

  @Test
  void testClassify_ambiguousOnlyForItsMessageAndStatus() {
    String msg = "Multiple IDs found with provided prefix: 6";
    assertEquals(Kind.AMBIGUOUS, EngineErrors.classify(500, msg));
    assertEquals(Kind.AMBIGUOUS, EngineErrors.classify(400, msg));
    assertEquals(Kind.NOT_FOUND, EngineErrors.classify(404, msg));
    assertEquals(Kind.SERVER, EngineErrors.classify(500, "no space left on device"));
  }

  @Test
  void testEngineMessage_statusPrefixAndJsonRemoved() {
    assertEquals(
        "no such image: \"x\"",
        EngineErrors.engineMessage("Status 404: {\"message\":\"no such image: \\\"x\\\"\"}\n"));
    assertEquals("plain text", EngineErrors.engineMessage("plain text"));
  }

  private static String json(String message) {
    return "{\"message\":\"" + message + "\"}\n";
  }
}
