package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The script closure on a real engine: a slim made from a trace of {@code report.sh --version} runs
 * the script's real job (coreutils, find, sed, awk, tar, gzip, and rm in a trap), and git's {@code
 * git submodule add} (a shell script that sources git-sh-setup and runs basename and sed) works in
 * a slim made from {@code git --version}.
 */
class ScriptClosureIT {
  static final String REPORT = "skinnywhale-it10a-report";
  static final String REPORT_SLIM = "skinnywhale-it10a/report:slim";
  static final String GIT = "skinnywhale-it10a-git";
  static final String GIT_SLIM = "skinnywhale-it10a/git:slim";

  static final String REPORT_SH =
      """
      #!/bin/bash
      # report.sh: a compressed report of the files below a directory.
      set -euo pipefail
      VERSION=1.4

      usage() {
        echo "usage: report.sh [--version] SRC OUT" >&2
        exit 2
      }

      if [ "${1:-}" = "--version" ]; then
        echo "report.sh $VERSION"
        exit 0
      fi
      [ $# -eq 2 ] || usage
      src=$1
      out=$2
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      mkdir -p "$work/report" "$(dirname "$out")"
      find "$src" -type f | sort > "$work/report/files.txt"
      count=$(wc -l < "$work/report/files.txt")
      sed -e 's/^/file: /' "$work/report/files.txt" > "$work/report/listing.txt"
      awk -F/ '{ n[$NF ~ /\\./ ? "dotted" : "plain"]++ } END { for (k in n) print k, n[k] }' \\
        "$work/report/files.txt" | sort > "$work/report/kinds.txt"
      du -sk "$src" | cut -f1 > "$work/report/size-kb.txt"
      date -u +%Y > "$work/report/year.txt"
      tar -C "$work" -cf - report | gzip -9 > "$out"
      gzip -t "$out"
      echo "report of $count files: $(basename "$out")"
      """;

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
  }

  @AfterAll
  static void removeSlims() {
    for (String tag : List.of(REPORT_SLIM, GIT_SLIM)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /** A stopped bookworm container with /usr/local/bin/report.sh, made without a network. */
  private static void reportContainer() {
    DockerCli.Result state =
        DockerCli.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", REPORT);
    if (state.exitCode() == 0 && state.out().strip().equals("exited 0")) {
      return;
    }
    DockerCli.run("rm", "-f", REPORT);
    String b64 = Base64.getEncoder().encodeToString(REPORT_SH.getBytes(StandardCharsets.UTF_8));
    DockerCli.ok(
        "run",
        "--network",
        "none",
        "--name",
        REPORT,
        "local/debian:bookworm",
        "sh",
        "-c",
        "echo "
            + b64
            + " | base64 -d > /usr/local/bin/report.sh && chmod 755 /usr/local/bin/report.sh");
  }

  @Test
  void trace_reportScriptVersion_slimRunsTheRealJob() {
    reportContainer();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "report.sh --version",
            "--keep",
            "traced",
            "--debug",
            "--tag",
            REPORT_SLIM,
            REPORT);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.err().contains("script: keeps /usr/bin/mawk (runs awk, /usr/local/bin/report.sh:24)"),
        r.err());
    assertTrue(r.out().contains("  script "), r.out());

    DockerCli.Result job =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            REPORT_SLIM,
            "report.sh",
            "/usr/local/bin",
            "/tmp/out/r.tgz");
    assertEquals(0, job.exitCode(), job.all());
    assertEquals("report of 1 files: r.tgz\n", job.out(), job.all());
    assertEquals("", job.err(), "the trap's rm ran: " + job.all());
    DockerCli.Result ls = DockerCli.run("run", "--rm", "--network", "none", REPORT_SLIM, "ls", "/");
    assertNotEquals(0, ls.exitCode(), "ls is not used by the script and must not be kept");
  }

  @Test
  void trace_gitVersion_slimCanAddASubmodule() {
    DockerCli.requireContainer(
        GIT,
        "bookworm",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git"
            + " >/dev/null");
    Skinnywhale.Result r =
        Skinnywhale.run("trace", "--run", "git --version", "--debug", "--tag", GIT_SLIM, GIT);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("script: keeps /usr/bin/basename (runs basename, "), r.err());
    assertTrue(
        r.err().contains("script: keeps /usr/lib/git-core/git-sh-setup (sourced as git-sh-setup, "),
        r.err());
    assertTrue(!r.err().contains("/var/lib/dpkg/info/"), "maintainer scripts are not analysed");
    DockerCli.Result add =
        DockerCli.run(
            "run",
            "--rm",
            "--network",
            "none",
            GIT_SLIM,
            "sh",
            "-c",
            "git init -q /tmp/sub && cd /tmp/sub && echo x > f && git add f"
                + " && git -c user.email=a@b -c user.name=n commit -qm init"
                + " && git init -q /tmp/main && cd /tmp/main"
                + " && git -c protocol.file.allow=always submodule add /tmp/sub sub"
                + " && git -c user.email=a@b -c user.name=n commit -qm sub"
                + " && git submodule status");
    assertEquals(0, add.exitCode(), add.all());
    assertTrue(add.out().contains(" sub (heads/master)"), add.all());
  }
}
