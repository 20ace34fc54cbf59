package dev.skinnywhale.workflow;

import dev.skinnywhale.trace.ProbeOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A traced build.
 *
 * @param slim target, tag, output, includes, excludes and switches as for a plain slim
 * @param commands the smoke commands, in order (from --run, then --run-file)
 * @param keep what to keep; empty means the default (changes for a container, traced for an image)
 * @param probe how probe containers run
 * @param expectTimeout a command killed at the time limit counts as success (services)
 * @param verify run the commands again in the slim image and compare
 * @param forceLdDebug use LD_DEBUG instead of the ptrace tracer
 */
public record TraceRequest(
    SlimRequest slim,
    List<String> commands,
    Optional<KeepStrategy> keep,
    ProbeOptions probe,
    boolean expectTimeout,
    boolean verify,
    boolean forceLdDebug) {
  public TraceRequest {
    Objects.requireNonNull(slim, "slim");
    commands = List.copyOf(commands);
    Objects.requireNonNull(keep, "keep");
    Objects.requireNonNull(probe, "probe");
  }
}
