package dev.skinnywhale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import dev.skinnywhale.docker.EngineException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One command run in a running container through docker-java's exec commands. */
final class Exec {
  /** The most output kept (its end). */
  static final int MAX_OUTPUT = 64 * 1024;

  private final DockerClient client;
  private final EngineErrors errors;

  Exec(DockerClient client, EngineErrors errors) {
    this.client = client;
    this.errors = errors;
  }

  ExecResult run(String containerId, List<String> argv, List<String> env, Duration timeout) {
    String what = "running a command in container " + containerId;
    StringBuilder out = new StringBuilder();
    ResultCallback.Adapter<Frame> stream;
    String execId;
    try {
      ExecCreateCmd create =
          client
              .execCreateCmd(containerId)
              .withCmd(argv.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .withPrivileged(false);
      if (!env.isEmpty()) {
        create.withEnv(env);
      }
      execId = create.exec().getId();
      stream =
          client
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        if (out.length() > MAX_OUTPUT) {
                          out.delete(0, out.length() - MAX_OUTPUT);
                        }
                      }
                    }
                  });
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
    try {
      boolean done = stream.awaitCompletion(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      close(stream);
      if (!done) {
        return new ExecResult(Optional.empty(), text(out));
      }
      // The stream ends as the process does; its exit code follows a moment later.
      for (int i = 0; i < 20; i++) {
        InspectExecResponse r = client.inspectExecCmd(execId).exec();
        if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
          return new ExecResult(Optional.of(r.getExitCodeLong().intValue()), text(out));
        }
        Thread.sleep(50);
      }
      return new ExecResult(Optional.empty(), text(out));
    } catch (InterruptedException e) {
      close(stream);
      Thread.currentThread().interrupt();
      throw new EngineException(Kind.INTERRUPTED, "interrupted while " + what, e);
    } catch (RuntimeException e) {
      throw errors.wrap(what, e);
    }
  }

  private static String text(StringBuilder out) {
    synchronized (out) {
      return out.toString();
    }
  }

  private static void close(ResultCallback.Adapter<Frame> stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // abandoned either way
    }
  }
}
