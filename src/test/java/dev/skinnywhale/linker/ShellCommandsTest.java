package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a shell script runs and sources, read from its text. */
class ShellCommandsTest {
  @Test
  void scan_commandPositions_pipesSubstitutionsAndKeywords() {
    String script =
        """
        #!/bin/sh
        # a comment naming notacommand
        dashless=$(basename "$0" | sed -e 's/-/ /')
        . git-sh-setup
        if test -z "$x"; then gettext "usage"; fi
        case $(uname -s) in *MINGW*) mingw_fix ;; esac
        LC_ALL=C sort -u file && wc -l < file || /usr/bin/find . \\
            -name x
        for f in a b c; do cat "$f"; done
        echo "$(git rev-parse --git-dir)" > out  # trailing comment: hidden
        `id -u`
        """;
    ShellCommands.Found found = ShellCommands.scan(script);
    assertEquals(
        Set.of(
            "basename",
            "sed",
            "gettext",
            "uname",
            "mingw_fix",
            "sort",
            "wc",
            "/usr/bin/find",
            "cat",
            "git",
            "id"),
        found.commands());
    assertEquals(Set.of("git-sh-setup"), found.sourced());
  }

  @Test
  void scan_expansionsBuiltinsAndLoopWordsAreNoCommands() {
    ShellCommands.Found found =
        ShellCommands.scan("$EDITOR file\n\"$cmd\" x\ncd /tmp; printf x; for x in y; do :; done\n");
    assertEquals(Set.of(), found.commands());
  }

  @Test
  void isShellScript_byInterpreter() {
    assertTrue(ShellCommands.isShellScript(head("#!/bin/sh\n")));
    assertTrue(ShellCommands.isShellScript(head("#! /usr/bin/bash -e\n")));
    assertTrue(ShellCommands.isShellScript(head("#!/usr/bin/env bash\n")));
    assertFalse(ShellCommands.isShellScript(head("#!/usr/bin/perl\n")));
    assertFalse(ShellCommands.isShellScript(head("\u007fELF")));
  }

  private static ByteBuffer head(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
