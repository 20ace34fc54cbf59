package dev.skinnywhale.image.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How registries are reached.
 *
 * @param insecure registries (HOST or HOST:PORT) that may be reached over plain HTTP or with an
 *     unverified certificate ({@code --insecure-registry})
 * @param env the environment: {@code DOCKER_CONFIG}, {@code HOME}, and what credential helpers see
 */
public record RegistryOptions(Set<String> insecure, Map<String, String> env) {
  public RegistryOptions {
    insecure = Set.copyOf(insecure);
    env = Map.copyOf(env);
  }

  /**
   * The Docker client config file: {@code $DOCKER_CONFIG/config.json}, else {@code
   * ~/.docker/config.json}.
   */
  public Optional<Path> dockerConfig() {
    if (env.containsKey("DOCKER_CONFIG") && !env.get("DOCKER_CONFIG").isEmpty()) {
      return Optional.of(Path.of(env.get("DOCKER_CONFIG"), "config.json"));
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
    return home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home, ".docker", "config.json"));
  }

  public boolean isInsecure(String registry) {
    String host =
        registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    return insecure.contains(registry) || insecure.contains(host);
  }
}
