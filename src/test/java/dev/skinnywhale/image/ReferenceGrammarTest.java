package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distribution/reference grammar, and what may name a container. */
class ReferenceGrammarTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox",
        "local/debian:bookworm",
        "library/debian:12.4-slim",
        "127.0.0.1:5000/app:1",
        "localhost/app",
        "registry.example:443/team/app_x__y-z:v1.0",
        "[::1]:5000/app:1",
        "app@sha256:0123456789abcdef0123456789abcdef",
        "app:1@sha256:abababababababababababababababababababababababababababababababab",
        "sha256:abababababababababababababababababababababababababababababababab",
        "a.b-c/d---e:_tag",
        "Upper.Host/app",
      })
  void referenceProblem_valid_none(String ref) {
    assertEquals(Optional.empty(), ReferenceGrammar.referenceProblem(ref));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bad:Tag:x",
        "app:",
        "app:-tag",
        "App",
        "app//x",
        "app/",
        "/app",
        "app@sha256:abc",
        "app@:0123456789abcdef0123456789abcdef",
        "app@1sha:0123456789abcdef0123456789abcdef",
        "app with space",
        "app:tag\n",
        "-host/app",
        "host-/app",
        "app._x",
        "host:port/app",
      })
  void referenceProblem_invalid_says(String ref) {
    assertTrue(
        ReferenceGrammar.referenceProblem(ref).orElseThrow().startsWith("not a valid image"), ref);
  }

  @Test
  void referenceProblem_tagOf128_fine_of129_bad() {
    assertEquals(Optional.empty(), ReferenceGrammar.referenceProblem("app:" + "t".repeat(128)));
    assertTrue(ReferenceGrammar.referenceProblem("app:" + "t".repeat(129)).isPresent());
  }

  @Test
  void referenceProblem_nameOver255_bad() {
    String name = "a/".repeat(127) + "bc"; // 256 characters
    assertTrue(
        ReferenceGrammar.referenceProblem(name).orElseThrow().contains("longer than 255"), name);
    assertEquals(Optional.empty(), ReferenceGrammar.referenceProblem(name.substring(2)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jre",
        "My_Container.1",
        "/jre",
        "3f2a",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "local/debian:bookworm"
      })
  void engineInputProblem_containerOrImage_none(String text) {
    assertEquals(Optional.empty(), ReferenceGrammar.engineInputProblem(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bad:Tag:x", "_x", "a b", "x;rm -rf", "UPPER/x:", "..", "a@b"})
  void engineInputProblem_neither_saysBoth(String text) {
    String p = ReferenceGrammar.engineInputProblem(text).orElseThrow();
    assertTrue(p.startsWith("not a container or image reference: \"" + text + "\""), p);
  }

  @Test
  void parseInput_badEngineOrRegistryReference_refused_filesNotChecked() {
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parseInput("Bad:Tag:x"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImageReference.parseInput("docker://127.0.0.1:5000/App:1"));
    assertTrue(e.getMessage().startsWith("docker://: not a valid image reference"), e.getMessage());
    assertEquals(
        Transport.DOCKER_ARCHIVE,
        ImageReference.parseInput("docker-archive:My File.tar").transport());
  }
}
