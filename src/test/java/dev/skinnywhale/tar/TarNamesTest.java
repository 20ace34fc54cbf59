package dev.skinnywhale.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TarNamesTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("usr/bin/java", "/usr/bin/java"),
        Arguments.of("./usr/bin/java", "/usr/bin/java"),
        Arguments.of("/usr/bin/java", "/usr/bin/java"),
        Arguments.of("././usr//bin/./java", "/usr/bin/java"),
        Arguments.of("etc/", "/etc"),
        Arguments.of("./", "/"),
        Arguments.of("/", "/"),
        Arguments.of("a/b/../c", "/a/c"),
        Arguments.of("a/..", "/"),
        Arguments.of("..a/b..", "/..a/b.."),
        Arguments.of("a/.../b", "/a/.../b"),
        Arguments.of("caf\u00c3\u00a9", "/caf\u00c3\u00a9"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("accepted")
  void testNormalize_accepted(String name, String expected) throws Exception {
    assertEquals(expected, TarNames.normalize(name));
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("", "empty name"),
        Arguments.of("..", "escapes the root"),
        Arguments.of("../etc/passwd", "escapes the root"),
        Arguments.of("./../etc/passwd", "escapes the root"),
        Arguments.of("/../etc/passwd", "escapes the root"),
        Arguments.of("a/../../etc/passwd", "escapes the root"),
        Arguments.of("a/b/../../..", "escapes the root"),
        Arguments.of("usr/bin\0/java", "contains NUL"),
        Arguments.of("\0", "contains NUL"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("rejected")
  void testNormalize_rejected(String name, String why) {
    TarFormatException e = assertThrows(TarFormatException.class, () -> TarNames.normalize(name));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains(why), () -> e.getMessage() + " should say " + why);
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void testToTarName_noLeadingSlash(String ignored, String path) {
    String name = TarNames.toTarName(path);
    assertEquals(false, name.startsWith("/"));
  }
}
