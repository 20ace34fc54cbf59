package dev.skinnywhale.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.docker.DockerEngine;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the commands get from {@code Main}: the streams, the environment, the clock, the JSON mapper
 * (made on first use: building one costs a fifth of a second of start-up, which {@code --version},
 * {@code --help} and usage errors never need) and a way to open the engine. Tests build one with
 * fakes.
 */
public record CliContext(
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Clock clock,
    Supplier<ObjectMapper> jsons,
    Supplier<DockerEngine> engines) {
  public CliContext {
    env = Map.copyOf(env);
    java.util.Objects.requireNonNull(jsons, "jsons");
  }

  /** A context with a mapper made already. */
  public CliContext(
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Clock clock,
      ObjectMapper json,
      Supplier<DockerEngine> engines) {
    this(out, err, env, clock, () -> json, engines);
  }

  /** The JSON mapper (the supplier's; {@code Main}'s makes it once, on first use). */
  public ObjectMapper json() {
    return jsons.get();
  }

  /** Whether an environment switch is on: set, non-empty, and not "0", "false" or "no". */
  public boolean envFlag(String name) {
    String v = env.get(name);
    return v != null
        && !v.isBlank()
        && !v.equals("0")
        && !v.equalsIgnoreCase("false")
        && !v.equalsIgnoreCase("no");
  }
}
