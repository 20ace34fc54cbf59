package dev.skinnywhale.workflow.run;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every step of one command shares: the engine, the reporter, the step runner, the undo list
 * and the temporary directory. Opening it installs the Ctrl-C guard; closing it removes every
 * temporary container, image and file the run made, newest first.
 */
public final class Run implements AutoCloseable {
  private final DockerEngine engine;
  private final Reporter reporter;
  private final StepRunner steps;
  private final Cleanup cleanup;
  private final ShutdownGuard guard;
  private final Path tempDir;
  private final ImageInputs images;

  private Run(
      DockerEngine engine,
      Reporter reporter,
      StepRunner steps,
      Cleanup cleanup,
      ShutdownGuard guard,
      Path tempDir,
      RegistryOptions registries) {
    this.engine = engine;
    this.reporter = reporter;
    this.steps = steps;
    this.cleanup = cleanup;
    this.guard = guard;
    this.tempDir = tempDir;
    this.images = new ImageInputs(tempDir, cleanup, reporter, registries);
  }

  public static Run open(DockerEngine engine, Reporter reporter, Clock clock) throws IOException {
    return open(
        engine, reporter, clock, new RegistryOptions(java.util.Set.of(), java.util.Map.of()));
  }

  /** A run that reaches registries as {@code registries} says. */
  public static Run open(
      DockerEngine engine, Reporter reporter, Clock clock, RegistryOptions registries)
      throws IOException {
    Cleanup cleanup = new Cleanup(reporter);
    ShutdownGuard guard = ShutdownGuard.install(cleanup);
    try {
      Path tempDir = TempFiles.createDirectory(cleanup);
      return new Run(
          engine, reporter, new StepRunner(clock, reporter), cleanup, guard, tempDir, registries);
    } catch (IOException | RuntimeException e) {
      guard.close();
      cleanup.close();
      throw e;
    }
  }

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

  /** The images of this run that are not in the engine (archives, layouts, registries). */
  public ImageInputs images() {
    return images;
  }

  /** The run's own temporary directory (removed with everything in it when the run ends). */
  public Path tempDir() {
    return tempDir;
  }

  @Override
  public void close() {
    guard.close();
    cleanup.close();
  }
}
