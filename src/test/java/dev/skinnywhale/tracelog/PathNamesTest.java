package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNamesTest {
  @ParameterizedTest
  @CsvSource({
    "/a/b, x, /a/b/x",
    "/a/b, ../x, /a/x",
    "/a/b, ../../../x, /x",
    "/a/b, ./x/./y/, /a/b/x/y",
    "/a/b, /abs//p/../q, /abs/q",
    "/, ., /",
    "/a, '', /a",
  })
  void resolve_lexically(String base, String path, String expected) {
    assertEquals(Optional.of(expected), PathNames.resolve(Optional.of(base), path));
  }

  @ParameterizedTest
  @CsvSource({"x", "../x"})
  void resolve_relativeWithoutBase_isEmpty(String path) {
    assertEquals(Optional.empty(), PathNames.resolve(Optional.empty(), path));
    assertEquals(Optional.empty(), PathNames.resolve(Optional.of("socket:[123]"), path));
  }
}
