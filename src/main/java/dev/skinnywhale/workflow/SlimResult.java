package dev.skinnywhale.workflow;

import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.linker.Closure;
import dev.skinnywhale.workflow.run.Source;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a slim run made.
 *
 * @param source what was slimmed
 * @param tag the slim image's tag (also when only written to a file)
 * @param output where the image was written instead of loading it (archive, layout, registry)
 * @param fatSize bytes of the source's filesystem
 * @param slimSize bytes of the slim image (the layer's size when not loaded)
 * @param changeSetSize paths in the change set after the default excludes
 * @param closure the static closure with what could not be resolved
 * @param plan exactly what went into the layer and why
 * @param timings wall time per phase, in the order they ran
 * @param digest the manifest digest of an image written outside the engine
 */
public record SlimResult(
    Source source,
    String tag,
    Optional<ImageReference> output,
    long fatSize,
    long slimSize,
    int changeSetSize,
    Closure closure,
    AssemblyPlan plan,
    Map<String, Duration> timings,
    Optional<String> digest) {
  public SlimResult {
    timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
  }
}
