package dev.skinnywhale.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScriptAnalysisTest {
  private static List<String> names(String script) {
    return ScriptAnalysis.of(script).commands().stream()
        .map(ScriptAnalysis.CommandUse::name)
        .toList();
  }

  private static String at(String script, String name) {
    return ScriptAnalysis.of(script).commands().stream()
        .filter(c -> c.name().equals(name))
        .map(c -> c.name() + ":" + c.line())
        .findFirst()
        .orElse("missing " + name);
  }

  @Test
  void of_commandPositions_afterEveryOperatorAndKeyword() {
    String script =
        """
        #!/bin/sh
        mkdir -p /out; cp a b && mv b c || rm c
        sort x | uniq -c |& tee log &
        ( cd /tmp; tar -cf x . )
        if grep -q x f; then sed -i s/a/b/ f; elif awk 1 f; then gzip f; else bzip2 f; fi
        while read l; do printf '%s\\n' "$l"; done < input
        until false; do sleep 1; done
        ! cmp a b
        { head -1 x; }
        echo `date +%s` $(basename "$0")
        """;
    assertEquals(
        List.of(
            "mkdir",
            "cp",
            "mv",
            "rm",
            "sort",
            "uniq",
            "tee",
            "tar",
            "grep",
            "sed",
            "awk",
            "gzip",
            "bzip2",
            "sleep",
            "cmp",
            "head",
            "date",
            "basename"),
        names(script));
    assertEquals("sed:5", at(script, "sed"));
    assertEquals("basename:10", at(script, "basename"));
  }

  @Test
  void of_quotesCommentsAndArguments_areNotCommands() {
    String script =
        """
        echo "not; a | command && here" 'nor; this' # nor | this
        printf '%s' \\; ls
        ls -l; "quoted"cat file; \\rm -f x
        echo a#b c
        """;
    assertEquals(List.of("ls", "quotedcat", "rm"), names(script));
  }

  @Test
  void of_heredocs_bodiesSkipped_unquotedSubstitutionsFound() {
    String script =
        """
        cat <<EOF
        rm -rf / ; this is text $(hostname) `uname -r`
        EOF
        cat <<'END'; wc -l x
        $(not-run)
        END
        tr a b <<-	EOF2
        \t\tmore text
        \tEOF2
        tail -1 y
        """;
    assertEquals(List.of("cat", "hostname", "uname", "wc", "tr", "tail"), names(script));
    assertEquals("tail:10", at(script, "tail"));
  }

  @Test
  void of_pipelinesAndSubstitutionsNested() {
    String script =
        "x=$(find / -name '*.so' | xargs -0 -n 1 ldd | grep -c \"$(id -u)\")\n"
            + "y=\"${X:-$(pwd -P)}\" z=$((1 + 2)) w=`expr 1 + \\`nproc\\``\n"
            + "diff <(sort a) <(sort b)\n";
    assertEquals(
        List.of("find", "xargs", "ldd", "grep", "id", "expr", "nproc", "diff", "sort"),
        names(script));
  }

  @Test
  void of_functionsShadowingCommands_areRecorded() {
    String script =
        """
        ls() { command ls --color "$@"; }
        function cleanup { rm -f "$tmp"; }
        function say() { echo "$@"; }
        usage () {
          cat <<EOF
        usage
        EOF
        }
        ls; cleanup; say hi; usage
        """;
    ScriptAnalysis a = ScriptAnalysis.of(script);
    assertEquals(List.of("cleanup", "ls", "say", "usage"), List.copyOf(a.functions()));
    assertTrue(names(script).containsAll(List.of("ls", "rm", "cat")), names(script).toString());
  }

  @Test
  void of_pathAssignments_inOrderAndScopedToSubshells() {
    String script =
        """
        a1
        PATH=/opt/tool/bin:$PATH
        a2
        export PATH="/usr/lib/git-core:${PATH}:$HOME/bin"
        a3
        ( PATH=/sub; a4 )
        a5
        PATH+=:/extra
        a6
        """;
    var uses = ScriptAnalysis.of(script).commands();
    String in = ScriptAnalysis.INHERITED_PATH;
    assertEquals(List.of(), uses.get(0).path());
    assertEquals(List.of("/opt/tool/bin", in), uses.get(1).path());
    assertEquals(List.of("/usr/lib/git-core", "/opt/tool/bin", in), uses.get(2).path());
    assertEquals(List.of("/sub"), uses.get(3).path());
    assertEquals(uses.get(2).path(), uses.get(4).path());
    assertEquals(List.of("/usr/lib/git-core", "/opt/tool/bin", in, "/extra"), uses.get(5).path());
    assertEquals(
        List.of("a1", "a2", "a3", "a4", "a5", "a6"),
        uses.stream().map(ScriptAnalysis.CommandUse::name).toList());
  }

  @Test
  void of_runners_skipTheirOptions() {
    String script =
        """
        exec "$@"
        exec 3>&1 >log
        exec -a name gunicorn app
        command -v jq >/dev/null && command -p ps
        env -i -u HOME LANG=C PATH=/bin perl -e 1
        xargs -0 -n 1 -I {} cp {} /dst
        nice -n 10 ionice -c3 rsync a b
        timeout -s KILL 5 curl -s http://x
        nohup stdbuf -o L python3 app.py &
        time -p make
        """;
    assertEquals(
        List.of(
            "gunicorn",
            "jq",
            "ps",
            "env",
            "perl",
            "xargs",
            "cp",
            "nice",
            "ionice",
            "timeout",
            "curl",
            "nohup",
            "stdbuf",
            "python3",
            "make"),
        names(script));
    assertEquals(List.of("line 1: \"$@\"".replace("\"", "")), ScriptAnalysis.of(script).dynamic());
  }

  @Test
  void of_caseForCondAndArithmetic_areNotCommands() {
    String script =
        """
        case "$1" in
          start|begin) daemon --start ;;
          (stop) kill "$(cat pidfile)" ;;
          *) usage-error
             exit 1 ;;
        esac
        for f in one two three; do gzip "$f"; done
        for ((i = 0; i < 3; i++)); do touch "$i"; done
        [[ -f x && ( -d y || -L z ) ]] && stat x
        (( n++ )) && wc x
        select opt in a b; do break; done
        arr=(ls cat (nested) grep)
        """;
    assertEquals(
        List.of("daemon", "cat", "usage-error", "gzip", "touch", "stat", "wc"), names(script));
  }

  @Test
  void of_sourcedFilesAndShellStrings() {
    String script =
        """
        . /lib/lsb/init-functions
        source "$(dirname "$0")/lib.sh"
        . git-sh-setup
        sh -c 'basename "$1"; dirname x' sh
        bash -o pipefail -ec "sed -n 1p | cut -c1"
        sh /usr/share/x/run.sh arg
        """;
    ScriptAnalysis a = ScriptAnalysis.of(script);
    assertEquals(
        List.of("/lib/lsb/init-functions", "git-sh-setup", "/usr/share/x/run.sh"),
        a.sourced().stream().map(ScriptAnalysis.SourceUse::name).toList());
    assertEquals(List.of("dirname", "sh", "basename", "bash", "sed", "cut"), names(script));
    assertEquals(1, a.dynamic().size(), a.dynamic().toString());
  }

  @Test
  void of_codeInTrapEvalAndFindExec() {
    String script =
        """
        trap 'rm -rf "$work"; pkill -P $$' EXIT INT
        trap - EXIT
        trap -p
        eval 'chown root x' "$dynamic"
        eval set -- "$(getopt -o a -- "$@")"
        eval run-parts "$VERBOSE" --test -- "$DIR" | while read hook; do :; done
        find . -name '*.tmp' -exec shred -u {} \\; -o -execdir gzip {} +
        find . -print0 | xargs -0 stat
        """;
    assertEquals(
        List.of(
            "rm",
            "pkill",
            "chown",
            "getopt",
            "run-parts",
            "find",
            "shred",
            "gzip",
            "xargs",
            "stat"),
        names(script));
    assertEquals("rm:1", at(script, "rm"));
  }

  @Test
  void of_lineContinuationsAndCrlf() {
    String script = "tar -c \\\n  -f x \\\n  . && \\\ngzip x\r\nls\r\n";
    assertEquals(List.of("tar", "gzip", "ls"), names(script));
    assertEquals("gzip:4", at(script, "gzip"));
  }

  @Test
  void of_unterminated_lenientWithProblems() {
    ScriptAnalysis a = ScriptAnalysis.of("ls 'abc\n$(cat\necho \"x\n");
    assertEquals(
        List.of("ls"), a.commands().stream().map(ScriptAnalysis.CommandUse::name).toList());
    assertFalse(a.problems().isEmpty());
  }

  @Test
  void of_oneMegabyteScript_withinBudgetAndFast() {
    StringBuilder s = new StringBuilder("#!/bin/bash\n");
    int n = 0;
    while (s.length() < 1 << 20) {
      s.append("if [ -f /x/")
          .append(n)
          .append(" ]; then cp \"/x/")
          .append(n)
          .append("\" /y/ && sed -i 's/a/b/' \"/y/")
          .append(n)
          .append("\"; fi # ")
          .append(n)
          .append('\n');
      n++;
    }
    ScriptAnalysis a =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ScriptAnalysis.of(s.toString()));
    assertEquals(
        List.of("cp", "sed"), a.commands().stream().map(ScriptAnalysis.CommandUse::name).toList());
    assertTrue(a.tokens() > 100_000, "tokens " + a.tokens());
  }

  @Test
  void of_tokenBudget_isAnErrorNamingTheLimit() {
    ShellBudgetException e =
        assertThrows(ShellBudgetException.class, () -> ScriptAnalysis.of("a b c d e f\n", 5));
    assertEquals("more than 5 tokens", e.getMessage());
  }

  @Test
  void of_deepNesting_isAnErrorNotAStackOverflow() {
    String deep = "$(".repeat(10_000) + "ls" + ")".repeat(10_000);
    ShellBudgetException e =
        assertThrows(ShellBudgetException.class, () -> ScriptAnalysis.of("echo " + deep));
    assertTrue(e.getMessage().startsWith("nested deeper than"), e.getMessage());
    assertThrows(
        ShellBudgetException.class, () -> ScriptAnalysis.of("echo " + "\"${x:-".repeat(10_000)));
    assertThrows(ShellBudgetException.class, () -> ScriptAnalysis.of("cat " + "<(".repeat(10_000)));
    assertThrows(ShellBudgetException.class, () -> ScriptAnalysis.of("( ".repeat(10_000) + "ls"));
  }

  @Test
  void of_binaryGarbageAfterAShebang_neverThrowsOtherwise() {
    Random random = new Random(20_26);
    for (int round = 0; round < 300; round++) {
      byte[] bytes = new byte[1 + random.nextInt(4096)];
      random.nextBytes(bytes);
      String text = "#!/bin/sh\n" + new String(bytes, StandardCharsets.ISO_8859_1);
      try {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ScriptAnalysis.of(text));
      } catch (ShellBudgetException e) {
        // a budget is a fine answer to garbage
      }
    }
  }
}
