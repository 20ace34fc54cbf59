package dev.skinnywhale.workflow.run;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What every step of one command shares: the engine, the reporter, the step runner, the undo list,
 * the cancellation token and the temporary directory. Opening it installs the signal guard (SIGINT,
 * SIGTERM set the token; see {@link ShutdownGuard}) and wraps the engine so that every call checks
 * the token ({@link CancellableEngine}); closing it is the run's safe point: it removes every
 * temporary container, image and file the run made, newest first.
 */
public final class Run implements AutoCloseable {
  /** Label put on every container and image skinnywhale creates, so a leftover can be found. */
  public static final String TEMP_LABEL = "dev.skinnywhale.temporary";

  /** Label naming the run that made a temporary container or image. */
  public static final String RUN_LABEL = "dev.skinnywhale.run";

  /** What a run id may be: a label value that is safe in every engine's filters. */
  private static final java.util.regex.Pattern RUN_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final String runId;
  private final DockerEngine engine;
  private final Reporter reporter;
  private final StepRunner steps;
  private final Cleanup cleanup;
  private final Cancellation cancellation;
  private final ShutdownGuard guard;
  private final Path tempDir;
  private final ImageInputs images;
  private final dev.skinnywhale.image.LayerEntriesCache layerCache;
  private final Parallel parallel = new Parallel(Parallel.DEFAULT_LIMIT);

  private Run(
      String runId,
      DockerEngine engine,
      Reporter reporter,
      StepRunner steps,
      Cleanup cleanup,
      Cancellation cancellation,
      ShutdownGuard guard,
      Path tempDir,
      RegistryOptions registries,
      dev.skinnywhale.image.LayerEntriesCache layerCache) {
    this.runId = runId;
    this.layerCache = layerCache;
    this.engine = engine;
    this.reporter = reporter;
    this.steps = steps;
    this.cleanup = cleanup;
    this.cancellation = cancellation;
    this.guard = guard;
    this.tempDir = tempDir;
    this.images = new ImageInputs(tempDir, cleanup, reporter, registries);
  }

  public static Run open(DockerEngine engine, Reporter reporter, Clock clock) throws IOException {
    return open(
        engine,
        reporter,
        clock,
        Optional.empty(),
        new RegistryOptions(java.util.Set.of(), java.util.Map.of()));
  }

  /**
   * A run whose temporary containers and images carry {@code runId} (a random one when empty), so
   * that whoever started it can find what it made even while other runs share the engine, and that
   * reaches registries as {@code registries} says.
   *
   * @throws IllegalArgumentException when the id is not a safe label value
   */
  public static Run open(
      DockerEngine engine,
      Reporter reporter,
      Clock clock,
      Optional<String> runId,
      RegistryOptions registries)
      throws IOException {
    return open(
        engine,
        reporter,
        clock,
        runId,
        registries,
        new dev.skinnywhale.image.LayerEntriesCache(Optional.empty()));
  }

  /** As above, keeping what the image's layers hold at a few paths in {@code layerCache}. */
  public static Run open(
      DockerEngine engine,
      Reporter reporter,
      Clock clock,
      Optional<String> runId,
      RegistryOptions registries,
      dev.skinnywhale.image.LayerEntriesCache layerCache)
      throws IOException {
    String id = runId.orElseGet(() -> java.util.UUID.randomUUID().toString());
    checkRunId(id);
    Cleanup cleanup = new Cleanup(reporter);
    Cancellation cancellation = new Cancellation();
    ShutdownGuard guard = ShutdownGuard.install(cleanup, cancellation, reporter);
    try {
      Path tempDir = TempFiles.createDirectory(cleanup);
      reporter.debug("run " + id + ": temporary containers and images are labelled " + RUN_LABEL);
      return new Run(
          id,
          new CancellableEngine(engine, cancellation, cleanup),
          reporter,
          new StepRunner(clock, reporter, cancellation),
          cleanup,
          cancellation,
          guard,
          tempDir,
          registries,
          layerCache);
    } catch (IOException | RuntimeException e) {
      guard.close();
      cleanup.close();
      throw e;
    }
  }

  /** Throws {@link IllegalArgumentException} unless {@code id} may be used as a run id. */
  public static void checkRunId(String id) {
    if (!RUN_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "a run id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit: "
              + id);
    }
  }

  public String runId() {
    return runId;
  }

  /** The labels of a temporary container or image this run makes, {@code what} it is for. */
  public Map<String, String> labels(String what) {
    return Map.of(TEMP_LABEL, what, RUN_LABEL, runId);
  }

  /** The engine, every call of which checks the run's cancellation token first. */
  public DockerEngine engine() {
    return engine;
  }

  public Reporter reporter() {
    return reporter;
  }

  public StepRunner steps() {
    return steps;
  }

  public Cleanup cleanup() {
    return cleanup;
  }

  /** The run's cancellation token (set by SIGINT and SIGTERM). */
  public Cancellation cancellation() {
    return cancellation;
  }

  /** The images of this run that are not in the engine (archives, layouts, registries). */
  public ImageInputs images() {
    return images;
  }

  /** How many independent tasks (probe containers, verifications) run side by side. */
  public Parallel parallel() {
    return parallel;
  }

  /** The run's own temporary directory (removed with everything in it when the run ends). */
  /** Where what image layers hold at the entries the engine touches is kept between runs. */
  public dev.skinnywhale.image.LayerEntriesCache layerCache() {
    return layerCache;
  }

  public Path tempDir() {
    return tempDir;
  }

  /** The safe point: removes what the run made, then lets a waiting signal hook go on. */
  @Override
  public void close() {
    try {
      cleanup.close();
    } finally {
      guard.left();
      guard.close();
    }
  }
}
