package dev.skinnywhale.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptClosureTest {
  private static final List<String> PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");

  private final List<FsNode> nodes = new ArrayList<>();

  private ScriptClosureTest file(String path, int mode, String text) {
    nodes.add(
        new FsNode.RegularFile(
            path, NodeMeta.of(mode), new BytesBlob(text.getBytes(StandardCharsets.ISO_8859_1))));
    return this;
  }

  private ScriptClosureTest program(String... paths) {
    for (String p : paths) {
      file(p, 0755, "\u007fELF");
    }
    return this;
  }

  private ScriptClosureTest link(String path, String target) {
    nodes.add(new FsNode.Symlink(path, NodeMeta.of(0777), target));
    return this;
  }

  private ScriptClosure.Result closure(List<String> files, ScriptClosure.InlineScript... inline) {
    return new ScriptClosure(RootFs.of(nodes), PATH).of(files, List.of(inline));
  }

  private static List<String> kept(ScriptClosure.Result r) {
    return r.found().stream().map(f -> f.resolution().finalPath()).toList();
  }

  @Test
  void of_scriptCommands_resolvedOnPathWithHops() {
    program("/usr/bin/mkdir", "/usr/bin/sed", "/usr/bin/mawk", "/usr/bin/gzip", "/usr/bin/tar");
    link("/usr/bin/awk", "/etc/alternatives/awk").link("/etc/alternatives/awk", "/usr/bin/mawk");
    file(
        "/usr/local/bin/report.sh",
        0755,
        """
        #!/bin/bash
        set -e
        report() { mkdir -p "$1"; }
        report /out
        sed 's/x/y/' in | awk '{print}' | gzip > out.gz
        tar -cf - . | jq . || nosuchtool
        """);
    ScriptClosure.Result r = closure(List.of("/usr/local/bin/report.sh"));
    assertEquals(
        List.of("/usr/bin/mkdir", "/usr/bin/sed", "/usr/bin/mawk", "/usr/bin/gzip", "/usr/bin/tar"),
        kept(r));
    ScriptClosure.Found awk = r.found().get(2);
    assertEquals("awk", awk.name());
    assertEquals(List.of("/usr/bin/awk", "/etc/alternatives/awk"), awk.resolution().hops());
    assertEquals("/usr/local/bin/report.sh", awk.script());
    assertEquals(5, awk.line());
    assertEquals(
        List.of("jq", "nosuchtool"),
        r.missing().stream().map(ScriptClosure.Missing::name).toList());
    assertEquals(1, r.scripts());
  }

  @Test
  void of_notExecutable_notACommand_butSourceable() {
    file("/usr/bin/tool", 0644, "data");
    file("/usr/lib/x/lib.sh", 0644, "helper() { basename \"$1\"; }\n");
    program("/usr/bin/basename");
    file("/usr/bin/run", 0755, "#!/bin/sh\n. /usr/lib/x/lib.sh\ntool\nhelper x\n");
    ScriptClosure.Result r = closure(List.of("/usr/bin/run"));
    assertEquals(List.of("/usr/lib/x/lib.sh", "/usr/bin/basename"), kept(r));
    assertTrue(r.found().get(0).sourced());
    assertEquals(List.of("tool"), r.missing().stream().map(ScriptClosure.Missing::name).toList());
  }

  @Test
  void of_sourcedFunctionsAndScriptDirectory_likeGitCore() {
    program("/usr/bin/git", "/usr/bin/sed", "/usr/bin/basename");
    file(
        "/usr/lib/git-core/git-sh-setup",
        0644,
        "die() { echo \"$*\" >&2; exit 1; }\ngit_dir() { git rev-parse --git-dir; }\n");
    file(
        "/usr/lib/git-core/git-submodule",
        0755,
        "#!/bin/sh\n. git-sh-setup\nname=$(basename \"$1\" | sed 's/x//')\ndie oops\ngit_dir\n");
    ScriptClosure.Result r = closure(List.of("/usr/lib/git-core/git-submodule"));
    assertEquals(
        List.of(
            "/usr/lib/git-core/git-sh-setup", "/usr/bin/basename", "/usr/bin/sed", "/usr/bin/git"),
        kept(r));
    assertEquals(List.of(), r.missing());
  }

  @Test
  void of_scriptPathFirst_andCommandsThatAreScriptsAnalysedInTurn() {
    program("/opt/tool/bin/gzip", "/usr/bin/gzip", "/usr/bin/cut");
    file("/usr/bin/helper", 0755, "#!/usr/bin/env bash\ncut -c1\n");
    file("/usr/bin/main", 0755, "#!/bin/dash\nPATH=/opt/tool/bin:$PATH\ngzip x\nhelper\n");
    ScriptClosure.Result r = closure(List.of("/usr/bin/main"));
    assertEquals(List.of("/opt/tool/bin/gzip", "/usr/bin/helper", "/usr/bin/cut"), kept(r));
    assertEquals(2, r.scripts());
  }

  @Test
  void of_onlyShellScripts_areAnalysed() {
    program("/usr/bin/rm");
    file("/usr/bin/py", 0755, "#!/usr/bin/python3\nrm\n");
    file("/usr/bin/busy", 0755, "#!/bin/busybox sh\nrm x\n");
    file("/usr/bin/plain", 0644, "rm x\n");
    ScriptClosure.Result r = closure(List.of("/usr/bin/py", "/usr/bin/plain", "/usr/bin/busy"));
    assertEquals(List.of("/usr/bin/rm"), kept(r));
    assertEquals("/usr/bin/busy", r.found().get(0).script());
    for (String yes :
        List.of("#!/bin/sh", "#! /bin/bash -e", "#!/usr/bin/env -S bash -x", "#!ash")) {
      assertTrue(ScriptClosure.isShellShebang(bytes(yes + "\n")), yes);
    }
    for (String no :
        List.of("#!/usr/bin/perl", "#!/usr/bin/env python3", "#!", "ELF", "#!/bin/busybox")) {
      assertFalse(ScriptClosure.isShellShebang(bytes(no + "\n")), no);
    }
  }

  @Test
  void of_inlineConfigScripts_onTheImagePath() {
    program("/usr/sbin/nginx", "/usr/bin/curl");
    ScriptClosure.Result r =
        closure(
            List.of(),
            new ScriptClosure.InlineScript("config Cmd", "nginx -g 'daemon off;'"),
            new ScriptClosure.InlineScript(
                "config Healthcheck", "curl -f http://localhost/ || exit 1"));
    assertEquals(List.of("/usr/bin/curl"), kept(r), "nginx is not on this PATH");
    assertEquals("config Healthcheck", r.found().get(0).script());
  }

  @Test
  void of_binaryWithShebang_andOversizedScript_skipped() {
    program("/usr/bin/rm");
    file("/usr/bin/bin", 0755, "#!/bin/sh\nrm x\n\0\1\2garbage");
    file("/usr/bin/huge", 0755, "#!/bin/sh\nrm x\n" + "#".repeat(ScriptClosure.MAX_SCRIPT_BYTES));
    ScriptClosure.Result r = closure(List.of("/usr/bin/bin", "/usr/bin/huge"));
    assertEquals(List.of(), kept(r));
    assertEquals(2, r.skipped().size(), r.skipped().toString());
    assertTrue(r.skipped().stream().anyMatch(s -> s.warn() && s.reason().contains("4194304")));
    assertTrue(r.skipped().stream().anyMatch(s -> !s.warn() && s.reason().contains("NUL")));
  }

  @Test
  void of_sourceCycle_readOnce() {
    program("/usr/bin/ls");
    file("/etc/a.sh", 0644, ". /etc/b.sh\nls\n");
    file("/etc/b.sh", 0644, ". /etc/a.sh\n");
    file("/usr/bin/s", 0755, "#!/bin/sh\n. /etc/a.sh\n");
    ScriptClosure.Result r = closure(List.of("/usr/bin/s"));
    assertEquals(List.of("/etc/a.sh", "/etc/b.sh", "/usr/bin/ls"), kept(r));
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void of_scriptsPastTheTotalBudget_skippedNamingTheLimit() {
    String body = "#!/bin/sh\n" + ("#" + "x".repeat(1023) + "\n").repeat(4000);
    StringBuilder top = new StringBuilder("#!/bin/sh\n");
    for (int i = 0; i < 20; i++) {
      file("/usr/bin/big" + i, 0755, body);
      top.append("big").append(i).append('\n');
    }
    file("/usr/bin/top", 0755, top.toString());
    ScriptClosure.Result r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(60), () -> closure(List.of("/usr/bin/top")));
    List<ScriptClosure.Skipped> over =
        r.skipped().stream().filter(s -> s.reason().contains("in all")).toList();
    // 64 MiB hold 16 scripts of 4,096,010 bytes (the first, /usr/bin/top, is small).
    assertEquals(4, over.size(), r.skipped().toString());
    assertEquals(
        new ScriptClosure.Skipped(
            "/usr/bin/big16", "the scripts read reach the limit of 67108864 bytes in all", true),
        over.get(0));
  }
}
