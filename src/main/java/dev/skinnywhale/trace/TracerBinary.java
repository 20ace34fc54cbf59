package dev.skinnywhale.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The static tracer executables built from {@code tracer/} and packed into the jar at {@code
 * /dev/skinnywhale/trace/tracer/tracer-<arch>}. Architectures are named as Docker ({@code amd64},
 * {@code arm64}) or the kernel ({@code x86_64}, {@code aarch64}) names them.
 */
public final class TracerBinary {
  static final String RESOURCE_DIR = "/dev/skinnywhale/trace/tracer/";

  private TracerBinary() {}

  /** The resource path of the tracer for {@code architecture}, if it is one we build. */
  public static Optional<String> resourceName(String architecture) {
    String arch =
        switch (architecture.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x86-64" -> "x86_64";
          case "arm64", "aarch64", "arm64/v8" -> "aarch64";
          default -> "";
        };
    return arch.isEmpty() ? Optional.empty() : Optional.of(RESOURCE_DIR + "tracer-" + arch);
  }

  /** Whether this build has a tracer for {@code architecture}, without reading it. */
  public static boolean exists(String architecture) {
    return resourceName(architecture)
        .map(name -> TracerBinary.class.getResource(name) != null)
        .orElse(false);
  }

  /**
   * The tracer executable for {@code architecture}, or empty when this build has none (an unknown
   * architecture, or no cross compiler when the jar was built).
   */
  public static Optional<byte[]> forArchitecture(String architecture) {
    Optional<String> name = resourceName(architecture);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = TracerBinary.class.getResourceAsStream(name.get())) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the tracer resource " + name.get(), e);
    }
  }
}
