package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {
  static List<Arguments> cases() {
    return List.of(
        Arguments.of("java -version", List.of("java", "-version")),
        Arguments.of("  a   b\tc\n", List.of("a", "b", "c")),
        Arguments.of("/hello '/data/greeting.txt'", List.of("/hello", "/data/greeting.txt")),
        Arguments.of("echo 'a b' \"c d\"", List.of("echo", "a b", "c d")),
        Arguments.of("echo \"a \\\"q\\\" \\$x \\n\"", List.of("echo", "a \"q\" $x \\n")),
        Arguments.of("echo a\\ b", List.of("echo", "a b")),
        Arguments.of("echo ''", List.of("echo", "")),
        Arguments.of("x'y'\"z\"", List.of("xyz")),
        Arguments.of("echo $HOME *", List.of("echo", "$HOME", "*")),
        Arguments.of("", List.of()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void split_posixQuoting(String line, List<String> words) {
    assertEquals(words, ShellWords.split(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo 'open", "echo \"open", "echo \\"})
  void split_unterminated_throws(String line) {
    assertThrows(IllegalArgumentException.class, () -> ShellWords.split(line));
  }
}
