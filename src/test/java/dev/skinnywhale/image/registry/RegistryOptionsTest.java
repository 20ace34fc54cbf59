package dev.skinnywhale.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryOptionsTest {
  @Test
  void dockerConfig_dockerConfigDirWins_elseHome() {
    assertEquals(
        Optional.of(Path.of("/cfg/config.json")),
        new RegistryOptions(Set.of(), Map.of("DOCKER_CONFIG", "/cfg", "HOME", "/home/u"))
            .dockerConfig());
    assertEquals(
        Optional.of(Path.of("/home/u/.docker/config.json")),
        new RegistryOptions(Set.of(), Map.of("HOME", "/home/u")).dockerConfig());
  }

  @Test
  void insecure_byHostAndPort_orHost() {
    RegistryOptions o = new RegistryOptions(Set.of("127.0.0.1:5000", "reg.local"), Map.of());
    assertTrue(o.isInsecure("127.0.0.1:5000"));
    assertFalse(o.isInsecure("127.0.0.1:5001"));
    assertTrue(o.isInsecure("reg.local:443"));
    assertFalse(o.isInsecure("docker.io"));
  }

  @Test
  void failure_plainHttpHint_andKinds() {
    RuntimeException unreachable =
        RegistryFailures.failure(
            "pulling x", new java.io.IOException("x", new java.net.ConnectException("refused")));
    assertTrue(unreachable.getMessage().contains("--insecure-registry"), unreachable.getMessage());
    assertEquals(RegistryException.Kind.UNREACHABLE, ((RegistryException) unreachable).kind());
    RegistryException missing =
        (RegistryException)
            RegistryFailures.failure("pulling x", new RuntimeException("MANIFEST_UNKNOWN"));
    assertEquals(RegistryException.Kind.NOT_FOUND, missing.kind());
  }
}
