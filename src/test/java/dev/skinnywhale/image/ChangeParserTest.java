package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code --change} parser: every instruction in its forms, and the errors, with the messages
 * {@code docker commit --change} gave for the same text on Docker 20.10 (recorded by hand).
 */
class ChangeParserTest {
  private static ConfigChange one(String text) {
    List<ConfigChange> parsed = ChangeParser.parse(text);
    assertEquals(1, parsed.size(), parsed.toString());
    return parsed.get(0);
  }

  @Test
  void testCmd_jsonForm() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("CMD [\"java\", \"-jar\", \"/a.jar\"]"));
    assertEquals(List.of("java", "-jar", "/a.jar"), cmd.argv());
    assertTrue(cmd.warning().isEmpty());
  }

  @Test
  void testCmd_shellForm_keepsTheTextAsItIs() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("CMD echo \"a  b\" $HOME"));
    assertEquals(List.of("/bin/sh", "-c", "echo \"a  b\" $HOME"), cmd.argv());
  }

  @Test
  void testCmd_lowercaseKeywordAndSurroundingBlanks() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("  cmd   x  "));
    assertEquals(List.of("/bin/sh", "-c", "x"), cmd.argv());
  }

  @Test
  void testCmd_notJson_isAShellCommandWithAWarning() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("CMD ['x']"));
    assertEquals(List.of("/bin/sh", "-c", "['x']"), cmd.argv());
    assertTrue(cmd.warning().orElseThrow().contains("not a JSON array"), cmd.warning().get());
    var unclosed = assertInstanceOf(ConfigChange.Cmd.class, one("CMD [\"a\", \"b\""));
    assertEquals("[\"a\", \"b\"", unclosed.argv().get(2));
  }

  @Test
  void testCmd_jsonEscapes() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("CMD [\"a\\u0041\\n\"]"));
    assertEquals(List.of("aA\n"), cmd.argv());
  }

  @Test
  void testCmd_emptyJsonArray_isAllowed() {
    var cmd = assertInstanceOf(ConfigChange.Cmd.class, one("CMD []"));
    assertEquals(List.of(), cmd.argv());
  }

  @Test
  void testEntrypoint_bothForms() {
    var json = assertInstanceOf(ConfigChange.Entrypoint.class, one("ENTRYPOINT [\"/bin/cat\"]"));
    assertEquals(List.of("/bin/cat"), json.argv());
    var shell = assertInstanceOf(ConfigChange.Entrypoint.class, one("ENTRYPOINT y z"));
    assertEquals(List.of("/bin/sh", "-c", "y z"), shell.argv());
  }

  @Test
  void testEnv_keyValueForm_keepsQuotesForLater() {
    var env = assertInstanceOf(ConfigChange.Env.class, one("ENV A=1 B=\"two words\" C=$PATH:/x"));
    assertEquals(
        List.of(
            new ConfigChange.Pair("A", "1"),
            new ConfigChange.Pair("B", "\"two words\""),
            new ConfigChange.Pair("C", "$PATH:/x")),
        env.pairs());
  }

  @Test
  void testEnv_oldForm_valueIsTheRestOfTheLine() {
    var env = assertInstanceOf(ConfigChange.Env.class, one("ENV D the rest  of \"line\""));
    assertEquals(List.of(new ConfigChange.Pair("D", "the rest  of \"line\"")), env.pairs());
  }

  @Test
  void testLabel_bothForms() {
    var kv = assertInstanceOf(ConfigChange.Label.class, one("LABEL a=b \"c d\"=e"));
    assertEquals(
        List.of(new ConfigChange.Pair("a", "b"), new ConfigChange.Pair("\"c d\"", "e")),
        kv.pairs());
    var old = assertInstanceOf(ConfigChange.Label.class, one("LABEL k v w"));
    assertEquals(List.of(new ConfigChange.Pair("k", "v w")), old.pairs());
  }

  @Test
  void testExposeUserWorkdirVolumeStopSignalOnBuild() {
    assertEquals(
        List.of("80", "90-92/udp"),
        assertInstanceOf(ConfigChange.Expose.class, one("EXPOSE 80 90-92/udp")).ports());
    assertEquals("a b", assertInstanceOf(ConfigChange.User.class, one("USER a b")).user());
    assertEquals(
        "\"/my dir\"",
        assertInstanceOf(ConfigChange.Workdir.class, one("WORKDIR \"/my dir\"")).path());
    assertEquals(
        List.of("/a", "/b"),
        assertInstanceOf(ConfigChange.Volume.class, one("VOLUME [\"/a\",\"/b\"]")).paths());
    assertEquals(
        List.of("/c", "/d"),
        assertInstanceOf(ConfigChange.Volume.class, one("VOLUME /c /d")).paths());
    assertEquals(
        "SIGUSR1",
        assertInstanceOf(ConfigChange.StopSignal.class, one("STOPSIGNAL SIGUSR1")).signal());
    assertEquals(
        "run y", assertInstanceOf(ConfigChange.OnBuild.class, one("ONBUILD run y")).trigger());
  }

  @Test
  void testHealthcheck_shellFormWithOptions() {
    var h =
        assertInstanceOf(
            ConfigChange.Healthcheck.class,
            one("HEALTHCHECK --interval=5s --retries=2 CMD curl -f http://x/ || exit 1"));
    assertEquals(List.of("CMD-SHELL", "curl -f http://x/ || exit 1"), h.test());
    assertEquals(5_000_000_000L, h.interval());
    assertEquals(2, h.retries());
    assertEquals(0, h.timeout());
  }

  @Test
  void testHealthcheck_jsonFormDurationsAndNone() {
    var h =
        assertInstanceOf(
            ConfigChange.Healthcheck.class,
            one("healthcheck --timeout=3s --start-period=1m30s cmd [\"a\",\"b\"]"));
    assertEquals(List.of("CMD", "a", "b"), h.test());
    assertEquals(3_000_000_000L, h.timeout());
    assertEquals(90_000_000_000L, h.startPeriod());
    var quoted =
        assertInstanceOf(
            ConfigChange.Healthcheck.class, one("HEALTHCHECK --interval=\"5s\" CMD x"));
    assertEquals(5_000_000_000L, quoted.interval());
    var none = assertInstanceOf(ConfigChange.Healthcheck.class, one("HEALTHCHECK NONE"));
    assertEquals(List.of("NONE"), none.test());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "300ms|300000000",
        "1.5m|90000000000",
        "2h45m|9900000000000",
        "1us|1000",
        "0|0",
      })
  void testGoDuration(String text, long nanos) {
    assertEquals(nanos, HealthcheckParser.goDuration(text));
  }

  @Test
  void testSeveralLinesContinuationsAndComments() {
    List<ConfigChange> parsed = ChangeParser.parse("# comment\nENV A=1 \\\n B=2\n\nUSER x");
    assertEquals(2, parsed.size());
    assertEquals(
        List.of(new ConfigChange.Pair("A", "1"), new ConfigChange.Pair("B", "2")),
        assertInstanceOf(ConfigChange.Env.class, parsed.get(0)).pairs());
    assertEquals("x", assertInstanceOf(ConfigChange.User.class, parsed.get(1)).user());
  }

  /** Each bad instruction, and (part of) the reason docker commit gives for it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "FOO x|foo is not a valid change command",
        "RUN x|run is not a valid change command",
        "''|an empty instruction",
        "CMD|CMD needs a command",
        "CMD [\"a\",1]|arrays must be comprised of strings only",
        "CMD [\"a\"] extra|unexpected text after the JSON array",
        "CMD --version|Unknown flag: version",
        "ENTRYPOINT --x=1 a|Unknown flag: x",
        "ENV|ENV requires at least one argument",
        "ENV =x|ENV names can not be blank",
        "ENV A=1 B|Syntax error - can't find = in \"B\". Must be of the form: name=value",
        "ENV A|ENV must have two arguments",
        "ENV A=\"unterminated|matching double-quote",
        "ENV \"a b\" c|matching double-quote",
        "ENV A=${|syntax error: missing '}'",
        "ENV A=${B%x}|missing ':' in substitution",
        "ENV A=${B:*x}|unsupported modifier (*) in substitution",
        "LABEL|LABEL requires at least one argument",
        "LABEL a|LABEL must have two arguments",
        "USER|USER requires exactly one argument",
        "WORKDIR|WORKDIR requires exactly one argument",
        "VOLUME|VOLUME requires at least one argument",
        "VOLUME [\"\"]|VOLUME specified can not be an empty string",
        "VOLUME [\"/a\", 1]|arrays must be comprised of strings only",
        "EXPOSE|EXPOSE requires at least one argument",
        "EXPOSE abc|Invalid containerPort: abc",
        "EXPOSE 70000|Invalid containerPort: 70000",
        "EXPOSE 80-79|Invalid containerPort: 80-79",
        "EXPOSE 80/xyz|Invalid proto: xyz",
        "EXPOSE 1.2.3.4:80|Invalid hostPort: 1.2.3.4",
        "STOPSIGNAL|STOPSIGNAL requires exactly one argument",
        "STOPSIGNAL SIGNOPE|Invalid signal: SIGNOPE",
        "STOPSIGNAL 0|Invalid signal: 0",
        "HEALTHCHECK|HEALTHCHECK requires at least one argument",
        "HEALTHCHECK --interval=5s|HEALTHCHECK requires at least one argument",
        "HEALTHCHECK x|Unknown type \"X\" in HEALTHCHECK (try CMD)",
        "HEALTHCHECK CMD|Missing command after HEALTHCHECK CMD",
        "HEALTHCHECK NONE x|HEALTHCHECK NONE takes no arguments",
        "HEALTHCHECK --retries=0 CMD x|--retries must be at least 1 (not 0)",
        "HEALTHCHECK --retries=-1 CMD x|--retries must be at least 1 (not -1)",
        "HEALTHCHECK --interval=0.5ms CMD x|Interval \"interval\" cannot be less than 1ms",
        "HEALTHCHECK --interval=5 CMD x|missing unit in duration \"5\"",
        "HEALTHCHECK --interval 5s CMD x|Missing a value on flag: interval",
        "HEALTHCHECK --bogus=1 CMD x|Unknown flag: bogus",
        "HEALTHCHECK --interval=5s --interval=6s CMD x|Duplicate flag specified: interval",
        "ONBUILD|ONBUILD requires at least one argument",
        "ONBUILD ONBUILD x|Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
      })
  void testErrors(String text, String reason) {
    ConfigChangeException e =
        assertThrows(ConfigChangeException.class, () -> ChangeParser.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().startsWith("--change '"), e.getMessage());
  }

  @Test
  void testUnsetCheck_isLeftToApplyTime() {
    // ${B:?msg} depends on the Env it is applied with: not a parse error.
    assertInstanceOf(ConfigChange.Env.class, one("ENV A=${B:?oops}"));
  }

  @Test
  void testTooLong_isRefused() {
    String text = "ENV A=" + "x".repeat(ChangeParser.MAX_CHARS);
    ConfigChangeException e =
        assertThrows(ConfigChangeException.class, () -> ChangeParser.parse(text));
    assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    assertFalse(e.getMessage().length() > 400, "the message quotes all of it");
  }
}
