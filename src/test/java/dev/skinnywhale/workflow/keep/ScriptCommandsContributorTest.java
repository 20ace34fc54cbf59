package dev.skinnywhale.workflow.keep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.DbFixture;
import dev.skinnywhale.rootfs.RootFs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The programs of kept shell scripts, through the files they source. */
class ScriptCommandsContributorTest {
  @Test
  void contribute_commandsOfTheScriptAndOfWhatItSources_onPathOrBesideIt() {
    String core = "/usr/lib/git-core";
    RootFs fs =
        DbFixture.usrMerged()
            .file(
                core + "/git-submodule",
                "#!/bin/sh\ndashless=$(basename \"$0\" | sed -e 's/-/ /')\n. git-sh-setup\n"
                    .getBytes(),
                0755)
            .file(
                core + "/git-sh-setup", "case $(uname -s) in *) helper ;; esac\n".getBytes(), 0644)
            .file(core + "/helper", "#!/bin/sh\ntr a b\n".getBytes(), 0755)
            .elf("/usr/bin/basename")
            .elf("/usr/bin/sed")
            .elf("/usr/bin/uname")
            .elf("/usr/bin/tr")
            .elf("/usr/bin/unused")
            .fs();
    Snapshot s = PackageSnapshots.wholeImage(fs, false);
    KeepPlan.Builder plan = KeepPlan.builder().add(core + "/git-submodule", Reason.PACKAGE);
    ScriptCommandsContributor c = new ScriptCommandsContributor();
    c.contribute(s, plan, TraceFixture.QUIET);
    c.contribute(s, plan, TraceFixture.QUIET); // a second round reads the helper script it found
    Map<String, KeepEntry> kept = plan.build().entries();
    for (String p :
        java.util.List.of(
            core + "/git-sh-setup",
            "/usr/bin/basename",
            "/usr/bin/sed",
            "/usr/bin/uname",
            core + "/helper",
            "/usr/bin/tr")) {
      assertTrue(
          kept.containsKey(p) && kept.get(p).reasons().contains(Reason.SCRIPT_COMMAND),
          p + ": " + kept.keySet());
    }
    assertFalse(kept.containsKey("/usr/bin/unused"));
  }
}
