package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageTagTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "skinny-0123456789ab",
        "skinny-0123456789ab:latest",
        "skinnywhale-it/jre-slim:test",
        "registry.example.com:5000/team/app:1.2.3",
        "localhost:5000/app",
        "a__b/c-d.e:V1_x"
      })
  void problem_validTags_none(String tag) {
    assertEquals(Optional.empty(), ImageTag.problem(tag));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bad Tag",
        "UPPER:1",
        "app:",
        "app:-x",
        "/app",
        "app//x",
        "app@sha256:00",
        "a:b:c"
      })
  void problem_invalidTags_said(String tag) {
    assertTrue(ImageTag.problem(tag).isPresent(), tag);
  }
}
