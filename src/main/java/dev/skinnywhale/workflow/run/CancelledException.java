package dev.skinnywhale.workflow.run;

/**
 * The run was cancelled (SIGINT, SIGTERM): thrown by an engine call or a step started after the
 * token was set. Not an {@link dev.skinnywhale.docker.EngineException}, so no step mistakes it for
 * an engine's answer (a verification that "failed").
 */
public final class CancelledException extends RuntimeException {
  public CancelledException() {
    super("interrupted");
  }

  public CancelledException(Throwable cause) {
    super("interrupted", cause);
  }
}
