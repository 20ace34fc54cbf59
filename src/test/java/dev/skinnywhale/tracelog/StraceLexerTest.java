package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StraceLexerTest {
  private final StraceLexer lexer = new StraceLexer();

  private TraceLine lex(String line) {
    return lexer.lex(line).orElseThrow();
  }

  private TraceLine.Call call(String line) {
    return assertInstanceOf(TraceLine.Call.class, lex(line));
  }

  @Test
  void lex_straceDashOPidPrefix() {
    TraceLine.Call c =
        call(
            "1234  openat(AT_FDCWD</app>, \"conf/a.yml\", O_RDONLY|O_CLOEXEC) = 3</app/conf/a.yml>");
    assertEquals(1234, c.pid());
    assertEquals("openat", c.name());
    assertEquals(List.of("AT_FDCWD</app>", "\"conf/a.yml\"", "O_RDONLY|O_CLOEXEC"), c.args());
    assertEquals("3", c.result().value());
    assertEquals(Optional.of("/app/conf/a.yml"), c.result().annotation());
    assertTrue(c.result().success());
  }

  @Test
  void lex_fiveDigitPidWithOneSpace() {
    assertEquals(15681, call("15681 chdir(\"/tmp\") = 0").pid());
  }

  @Test
  void lex_bracketPidPrefix() {
    assertEquals(148, call("[pid   148] chdir(\"/tmp\") = 0").pid());
  }

  @Test
  void lex_noPid() {
    TraceLine.Call c =
        call("execve(\"/usr/bin/cat\", [\"cat\", \"/etc/hostname\"], 0x7ffd /* 9 vars */) = 0");
    assertEquals(0, c.pid());
    assertEquals(3, c.args().size());
  }

  @Test
  void lex_timestamps() {
    assertEquals("chdir", call("1234  12:34:56.123456 chdir(\"/\") = 0").name());
    assertEquals("chdir", call("1700000000.123456 chdir(\"/\") = 0").name());
    assertEquals(7, call("7     10:11:12 chdir(\"/\") = 0").pid());
  }

  @Test
  void lex_failureWithErrno() {
    TraceLine.Call c =
        call("1234  stat(\"/x\", 0x7ffd1234) = -1 ENOENT (No such file or directory)");
    assertEquals(Optional.of("ENOENT"), c.result().errno());
    assertFalse(c.result().success());
  }

  @Test
  void lex_questionMarkResults() {
    assertFalse(call("1234  exit_group(0)                     = ?").result().success());
    TraceLine.Call restart =
        call(
            "1234  openat(AT_FDCWD, \"/fifo\", O_RDONLY) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    assertEquals(Optional.of("ERESTARTSYS"), restart.result().errno());
  }

  @Test
  void lex_resultsWithTimingAndComments() {
    assertEquals("0", call("1234  chdir(\"/\") = 0 <0.000012>").result().value());
    assertEquals("0x1", call("1234  fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)").result().value());
    assertEquals(
        "0x7f00",
        call("1234  mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f00").result().value());
  }

  @Test
  void lex_nestedArgumentsAndStringsWithCommasAndParens() {
    TraceLine.Call c =
        call("1  newfstatat(3</a, b>, \"x, (y)\", {st_mode=S_IFREG|0644, st_size=1, ...}, 0) = 0");
    assertEquals(
        List.of("3</a, b>", "\"x, (y)\"", "{st_mode=S_IFREG|0644, st_size=1, ...}", "0"), c.args());
  }

  @Test
  void lex_annotationWithEscapedAngleBrackets() {
    TraceLine.Call c =
        call(
            "15682 openat(AT_FDCWD</tmp/st>, \"a\\\"b<c>d\\ne\", O_RDONLY) = 3</tmp/st/a\\\"b\\74c\\76d\\ne>");
    assertEquals(Optional.of("/tmp/st/a\"b<c>d\ne"), c.result().annotation());
    assertEquals("\"a\\\"b<c>d\\ne\"", c.args().get(1));
  }

  @Test
  void lex_socketAnnotationWithArrow() {
    TraceLine.Call c = call("5  close(3<TCP:[127.0.0.1:41586->127.0.0.1:80]>) = 0");
    assertEquals(List.of("3<TCP:[127.0.0.1:41586->127.0.0.1:80]>"), c.args());
  }

  @Test
  void lex_nestedDeviceAnnotation() {
    TraceLine.Call c = call("5  ioctl(1</dev/pts/0<char 136:0>>, TCGETS, {c_iflag=ICRNL}) = 0");
    assertEquals("1</dev/pts/0<char 136:0>>", c.args().get(0));
  }

  @Test
  void lex_truncatedStringArgument() {
    TraceLine.Call c =
        call(
            "1  execve(\"/bin/sh\", [\"sh\", \"-c\", \"cat a* caf* >/dev/null; cd /tmp;\"...], 0x7ffd /* 35 vars */) = 0");
    assertEquals(3, c.args().size());
  }

  @Test
  void lex_noArguments() {
    assertEquals(List.of(), call("1  vfork() = 2").args());
  }

  @Test
  void lex_unfinishedAndResumed() {
    TraceLine.Unfinished u =
        assertInstanceOf(
            TraceLine.Unfinished.class,
            lex("15682 execve(\"/usr/bin/cat\", [\"cat\"], 0x5 /* 35 vars */ <unfinished ...>"));
    assertEquals("execve", u.name());
    assertEquals("\"/usr/bin/cat\", [\"cat\"], 0x5 /* 35 vars */ ", u.argsPrefix());
    TraceLine.Resumed r =
        assertInstanceOf(
            TraceLine.Resumed.class, lex("15682 <... execve resumed>)             = 0"));
    assertEquals("execve", r.name());
    assertEquals(")             = 0", r.rest());
  }

  @Test
  void beforeGluedMessage_cutsTheStraceMessage() {
    assertEquals(
        Optional.of("clone(child_stack=NULL, flags=SIGCHLD"),
        lexer.beforeGluedMessage(
            "clone(child_stack=NULL, flags=SIGCHLDstrace: Process 148 attached"));
    assertEquals(Optional.empty(), lexer.beforeGluedMessage("strace: Process 148 attached"));
    assertEquals(Optional.empty(), lexer.beforeGluedMessage("1  chdir(\"/\") = 0"));
  }

  @Test
  void lex_signalsExitsAndMessages() {
    assertInstanceOf(
        TraceLine.Event.class,
        lex(
            "1234  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=5, si_uid=0, si_status=0} ---"));
    TraceLine.Event exit =
        assertInstanceOf(TraceLine.Event.class, lex("1234  +++ exited with 0 +++"));
    assertTrue(exit.isExit());
    assertTrue(((TraceLine.Event) lex("[pid  7] +++ killed by SIGKILL +++")).isExit());
    assertInstanceOf(TraceLine.Event.class, lex("strace: Process 147 attached"));
    assertInstanceOf(TraceLine.Event.class, lex("1  <... openat resumed> <unfinished ...>) = ?"));
  }

  @Test
  void lex_blankLine() {
    assertTrue(lexer.lex("").isEmpty());
    assertTrue(lexer.lex("   \r").isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello world",
        "1234",
        "1234x openat()",
        "1234  openat(AT_FDCWD, \"/x\", O_RDONLY",
        "1234  openat(AT_FDCWD, \"/x, O_RDONLY) = 3",
        "1234  openat(AT_FDCWD, \"/x\", O_RDONLY) 3",
        "1234  openat(AT_FDCWD, \"/x\", O_RDONLY) = ",
        "1234  openat(AT_FDCWD, \"/x\", O_RDONLY) = three",
        "1234  openat(AT_FDCWD</x, \"/x\", O_RDONLY) = 3",
        "1234  openat(AT_FDCWD, \"/x\", O_RDONLY) = 3</x",
        "[pid 12",
        "[pid x] chdir(\"/\") = 0",
        "99999999999 chdir(\"/\") = 0",
        "1234  stat(\"/x\", {a=[1}) = 0",
        "1234  chdir(\"/\") = 0 trailing words",
        "1234  execve(\"/x\", 0x1 /* 3 vars) = 0",
      })
  void lex_malformedLine_throwsSyntaxError(String line) {
    assertThrows(SyntaxError.class, () -> lexer.lex(line));
  }

  @Test
  void unescape_octalHexAndNamedEscapes() {
    String s = "a\\\"b\\\\c\\n\\t\\r\\f\\v\\0\\12\\303\\251\\x41\\1234";
    assertEquals(
        "a\"b\\c\n\t\r\f\u000b\u0000\n\u00c3\u00a9AS4", StraceLexer.unescape(s, 0, s.length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\", "\\q", "\\x", "\\777"})
  void unescape_badEscape_throwsSyntaxError(String s) {
    assertThrows(SyntaxError.class, () -> StraceLexer.unescape(s, 0, s.length()));
  }
}
