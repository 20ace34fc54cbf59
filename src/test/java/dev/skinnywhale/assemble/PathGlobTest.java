package dev.skinnywhale.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathGlobTest {
  static Stream<Arguments> table() {
    return Stream.of(
        // literal, and a directory pattern matches its subtree
        Arguments.of("/usr/share/doc", "/usr/share/doc", true),
        Arguments.of("/usr/share/doc", "/usr/share/doc/bash/copyright", true),
        Arguments.of("/usr/share/doc", "/usr/share/docs", false),
        Arguments.of("/usr/share/doc", "/usr/share", false),
        Arguments.of("/usr/share/doc/", "/usr/share/doc/x", true),
        // '*' stays within a component
        Arguments.of("/var/cache/*", "/var/cache", false),
        Arguments.of("/var/cache/*", "/var/cache/apt", true),
        Arguments.of("/var/cache/*", "/var/cache/apt/archives/x.deb", true),
        Arguments.of("/usr/lib/*.so", "/usr/lib/libz.so", true),
        Arguments.of("/usr/lib/*.so", "/usr/lib/x86_64-linux-gnu/libz.so", false),
        Arguments.of("/usr/*/libz.so", "/usr/lib/libz.so", true),
        Arguments.of("/usr/*/libz.so", "/usr/lib/x/libz.so", false),
        Arguments.of("/etc/*", "/etc/.hidden", true),
        // '**' crosses components, "/**/" may be one "/"
        Arguments.of("/usr/**/libz.so", "/usr/lib/x86_64-linux-gnu/libz.so", true),
        Arguments.of("/usr/**/libz.so", "/usr/libz.so", true),
        Arguments.of("/usr/**", "/usr/a/b/c", true),
        Arguments.of("/**/*.pyc", "/usr/lib/python3/x.pyc", true),
        Arguments.of("/**/*.pyc", "/x.pyc", true),
        Arguments.of("/opt/**.jar", "/opt/a/b.jar", true),
        // '?' and classes
        Arguments.of("/lib/ld-linux?so", "/lib/ld-linux.so", true),
        Arguments.of("/a?b", "/a/b", false),
        Arguments.of("/usr/lib/libc.so.[0-9]", "/usr/lib/libc.so.6", true),
        Arguments.of("/usr/lib/libc.so.[!0-9]", "/usr/lib/libc.so.6", false),
        Arguments.of("/usr/lib/libc.so.[^0-9]", "/usr/lib/libc.so.x", true),
        Arguments.of("/[ab]in", "/bin", true),
        Arguments.of("/[ab]in", "/cin", false),
        Arguments.of("/a[/]b", "/a/b", false),
        Arguments.of("/[]]x", "/]x", true),
        Arguments.of("/un[closed", "/un[closed", true),
        // escapes
        Arguments.of("/a\\*b", "/a*b", true),
        Arguments.of("/a\\*b", "/axb", false),
        // root
        Arguments.of("/", "/anything/at/all", true));
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @MethodSource("table")
  void testMatches(String pattern, String path, boolean expected) {
    assertEquals(expected, new PathGlob(pattern).matches(path));
  }

  @org.junit.jupiter.api.Test
  void testNew_relativeOrNul_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new PathGlob("usr/share"));
    assertThrows(IllegalArgumentException.class, () -> new PathGlob("/a\0"));
  }
}
