package dev.skinnywhale.docker;

import java.io.Closeable;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The subset of the Docker engine that skinnywhale uses. Every method throws {@link
 * EngineException} (or {@link EngineUnavailableException}) with what was being done.
 */
public interface DockerEngine extends Closeable {

  /** Checks that the engine answers. */
  void ping();

  /** A container by id, id prefix or name; empty when there is none. */
  Optional<ContainerDetails> findContainer(String ref);

  /** An image by id, id prefix or reference; empty when there is none. */
  Optional<ImageDetails> findImage(String ref);

  /** The container's change set versus its image. */
  List<Change> diff(String containerId);

  /** The container's whole filesystem as a tar stream (the engine's export endpoint). */
  InputStream export(String containerId);

  /**
   * The image as a {@code docker save} archive stream (its layers uncompressed, {@code
   * manifest.json}); read once, front to back.
   */
  default InputStream save(String imageId) {
    throw new EngineException("this engine cannot save an image");
  }

  /** Creates a container (not started) and returns its id. */
  String createContainer(ContainerSpec spec);

  /** Starts a created container. */
  void start(String containerId);

  /**
   * Waits for a started container to exit and returns its exit code; empty when it is still running
   * after {@code timeout}.
   */
  Optional<Integer> waitFor(String containerId, Duration timeout);

  /** Kills a running container (SIGKILL); no error when it has already stopped. */
  void kill(String containerId);

  /**
   * Runs {@code argv} in a running container (the engine's exec API, as the engine runs a
   * healthcheck: the container's user, working directory and Env, plus {@code env}) and waits up to
   * {@code timeout} for it to end. An exec still running then is left to end with the container
   * (the API cannot kill it).
   */
  default ExecResult exec(
      String containerId, List<String> argv, List<String> env, Duration timeout) {
    throw new EngineException("this engine cannot run a command in a container");
  }

  /**
   * Runs {@code argv} as root in a running container, its stdout streamed back as it comes (the
   * helper's index and tar); its exit code and stderr are read from the stream once it has ended.
   * Only where {@link #canStreamExec()}.
   */
  default ExecStream execStream(String containerId, List<String> argv) {
    throw new EngineException("this engine cannot stream a command's output");
  }

  /**
   * Runs {@code argv} as root in a running container with its stdin attached: what the session
   * sends reaches it, its stdout is streamed back. Only where {@link #canStreamExec()}; an engine
   * that cannot attach an exec's stdin throws {@link EngineException}.
   */
  default ExecSession execSession(String containerId, List<String> argv) {
    throw new EngineException("this engine cannot attach a command's input");
  }

  /** Whether {@link #execStream} works here. */
  default boolean canStreamExec() {
    return false;
  }

  /** Whether a volume of this name exists. */
  default boolean volumeExists(String name) {
    throw new EngineException("this engine cannot look up volumes");
  }

  /**
   * The container's stdout and stderr, interleaved as the engine stored them: the last 200 lines,
   * of which only the first and last 4 KiB are kept ({@link OutputExcerpt}).
   */
  String logs(String containerId);

  /** Extracts a tar stream into a directory of a (created or running) container. */
  void copyInto(String containerId, String directory, InputStream tar);

  /** A path of a container as a tar stream (the engine's archive endpoint; small things only). */
  InputStream copyOut(String containerId, String path);

  /** Whether a network of this name or id exists ("none" and "host" always do). */
  boolean networkExists(String name);

  /**
   * Commits a container to a new untagged image with these labels added, and returns the image id.
   * The container itself is not changed (and not paused).
   */
  String commit(String containerId, java.util.Map<String, String> labels);

  /** Removes a container and its anonymous volumes, forcing it down if it is running. */
  void removeContainer(String containerId);

  /** Removes an image by id; no error when it is already gone. */
  void removeImage(String imageId);

  /** Loads a {@code docker load} archive. */
  void load(InputStream archive);

  @Override
  void close();
}
