package dev.skinnywhale.docker;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A call to the Docker engine failed; the message says which call and why, {@link #kind()} says
 * what kind of failure it was, classified by the engine's HTTP status (or docker-java's exception
 * type for it) rather than by the text of its message.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: mostly the engine's HTTP status class. */
  public enum Kind {
    /** 304: nothing to do (a container already started or stopped). */
    NOT_MODIFIED,
    /** 400: the engine refused the request as malformed. */
    BAD_REQUEST,
    /** 404: no such container, image, network or path. */
    NOT_FOUND,
    /** 409: the object is in the wrong state (a container not running, a name in use). */
    CONFLICT,
    /**
     * A short id prefix names several containers. Docker 20.10 answers this with a plain 500 (the
     * only thing that tells it from other server errors is its message, "Multiple IDs found with
     * provided prefix", which only this package reads). An ambiguous image prefix gets a 404 there
     * and so is {@link #NOT_FOUND}.
     */
    AMBIGUOUS,
    /** Any other 4xx: not allowed (401, 403), not acceptable (406), ... */
    REFUSED,
    /** 5xx: the engine failed while doing it. */
    SERVER,
    /** No answer: the engine cannot be reached (see {@link EngineUnavailableException}). */
    UNAVAILABLE,
    /** The calling thread was interrupted while it waited for the engine. */
    INTERRUPTED,
    /**
     * No HTTP status tells: an error the engine put inside a successful answer (a {@code docker
     * load} stream), an answer that could not be read, a failure on the client's side.
     */
    OTHER;

    /** The kind of an HTTP status that is not a success. */
    public static Kind ofStatus(int status) {
      return switch (status) {
        case 304 -> NOT_MODIFIED;
        case 400 -> BAD_REQUEST;
        case 404 -> NOT_FOUND;
        case 409 -> CONFLICT;
        default -> {
          if (status >= 400 && status < 500) {
            yield REFUSED;
          }
          yield status >= 500 && status < 600 ? SERVER : OTHER;
        }
      };
    }
  }

  private final Kind kind;
  private final int status;

  /** A failure of kind {@link Kind#OTHER}. */
  public EngineException(String message) {
    this(Kind.OTHER, message, null);
  }

  /** A failure of kind {@link Kind#OTHER}. */
  public EngineException(String message, Throwable cause) {
    this(Kind.OTHER, message, cause);
  }

  /** A failure of a kind no HTTP status was seen for. */
  public EngineException(Kind kind, String message, Throwable cause) {
    this(kind, 0, message, cause);
  }

  /**
   * A failure the engine answered with HTTP {@code status}, of {@code kind} (usually {@link
   * Kind#ofStatus}).
   */
  public EngineException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The engine's HTTP status, when it answered with one. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** Whether it is of {@code kind}. */
  public boolean is(Kind kind) {
    return this.kind == kind;
  }
}
