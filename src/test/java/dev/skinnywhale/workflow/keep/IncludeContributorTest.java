package dev.skinnywhale.workflow.keep;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.RecordingReporter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --include, --exclude, --brute-lib and --brute-usr-lib. */
class IncludeContributorTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";
  static final RootFs FS =
      RootFs.of(
          List.of(
              new FsNode.Symlink("/lib", NodeMeta.of(0777), "usr/lib"),
              file(LIBDIR + "/libc.so.6"),
              file(LIBDIR + "/libcrypt.so.1"),
              file("/usr/share/zoneinfo/UTC"),
              file("/usr/share/zoneinfo/Europe/Paris"),
              new FsNode.Symlink("/etc/localtime", NodeMeta.of(0777), "/usr/share/zoneinfo/Gone"),
              file(FsPath.fromText("/opt/café/menu"))));

  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void contribute_literal_thePathWithEverythingBelowIt() {
    KeepPlan plan = contribute(List.of("/usr/share/zoneinfo/"), List.of(), false, false);
    assertEquals(
        new KeepEntry("/usr/share/zoneinfo", Set.of(Reason.INCLUDE), true),
        plan.entries().get("/usr/share/zoneinfo"));
    assertEquals(1, plan.entries().size());
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void contribute_literalSymlink_theLinkItselfEvenWhenItDangles_withANote() {
    KeepPlan plan = contribute(List.of("/etc/localtime"), List.of(), false, false);
    assertEquals(Set.of("/etc/localtime"), plan.entries().keySet());
    assertEquals(
        List.of(
            "--include /etc/localtime: /etc/localtime is a symlink to /usr/share/zoneinfo/Gone,"
                + " which is not in the image; the link is kept as it is"),
        reporter.warnings);
    var expanded = new dev.skinnywhale.assemble.PlanExpander().expand(FS, plan);
    assertEquals(List.of(), expanded.missing(), "dropped as not in the image");
    assertTrue(
        expanded.nodes().stream()
            .anyMatch(n -> n.path().equals("/etc/localtime") && n instanceof FsNode.Symlink));
  }

  @Test
  void contribute_globMatchingADanglingLink_keptWithANote() {
    KeepPlan plan = contribute(List.of("/etc/local*"), List.of(), false, false);
    assertEquals(Set.of("/etc/localtime"), plan.entries().keySet());
    assertEquals(1, reporter.warnings.size(), reporter.warnings.toString());
    assertTrue(reporter.warnings.get(0).startsWith("--include /etc/local*: /etc/localtime is a"));
  }

  @Test
  void contribute_literalSymlinkThatResolves_noNote() {
    RootFs fs =
        RootFs.of(
            List.of(
                file("/usr/share/zoneinfo/UTC"),
                new FsNode.Symlink(
                    "/etc/localtime", NodeMeta.of(0777), "/usr/share/zoneinfo/UTC")));
    assertEquals(
        java.util.Optional.empty(),
        IncludeContributor.danglingNote(fs, "/etc/localtime", "/etc/localtime"));
  }

  @Test
  void contribute_literalNotInTheImage_warnedNothingKept() {
    KeepPlan plan = contribute(List.of("/opt/missing"), List.of(), false, false);
    assertEquals(Set.of(), plan.entries().keySet());
    assertEquals(List.of("--include /opt/missing: not in the image"), reporter.warnings);
  }

  @Test
  void contribute_glob_eachMatchWithItsContents() {
    KeepPlan plan = contribute(List.of("/usr/share/zoneinfo/*"), List.of(), false, false);
    assertTrue(
        plan.entries()
            .keySet()
            .containsAll(Set.of("/usr/share/zoneinfo/UTC", "/usr/share/zoneinfo/Europe")),
        plan.entries().toString());
    assertFalse(plan.entries().containsKey("/usr/share/zoneinfo"), "the glob's directory itself");
    assertTrue(plan.entries().values().stream().allMatch(KeepEntry::recursive));
    assertTrue(
        plan.entries().values().stream().allMatch(e -> e.reasons().equals(Set.of(Reason.INCLUDE))));
  }

  @Test
  void contribute_globMatchingNothing_warned() {
    contribute(List.of("/usr/share/zoneinfo/*.tab"), List.of(), false, false);
    assertEquals(
        List.of("--include /usr/share/zoneinfo/*.tab: matches nothing in the image"),
        reporter.warnings);
  }

  @Test
  void contribute_globThroughAUsrmergeLink_alsoMatchedBelowTheRealDirectory() {
    KeepPlan plan = contribute(List.of("/lib/x86_64-linux-gnu/libc.so*"), List.of(), false, false);
    assertEquals(Set.of(LIBDIR + "/libc.so.6"), plan.entries().keySet());
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void contribute_textIsUtf8_matchedAgainstTheImagesBytes() {
    KeepPlan plan = contribute(List.of("/opt/café"), List.of(), false, false);
    assertEquals(Set.of(FsPath.fromText("/opt/café")), plan.entries().keySet());
  }

  @Test
  void contribute_bruteLibThroughItsSymlink_theLinkAndTheRealDirectory() {
    KeepPlan plan = contribute(List.of(), List.of(), true, false);
    assertEquals(new KeepEntry("/lib", Set.of(Reason.BRUTE), true), plan.entries().get("/lib"));
    assertEquals(
        new KeepEntry("/usr/lib", Set.of(Reason.BRUTE), true), plan.entries().get("/usr/lib"));
  }

  @Test
  void contribute_bruteUsrLib_usrLibOnly() {
    KeepPlan plan = contribute(List.of(), List.of(), false, true);
    assertEquals(Set.of("/usr/lib"), plan.entries().keySet());
    assertFalse(plan.entries().containsKey("/lib"));
  }

  @Test
  void contribute_excludes_becomeThePlansExcludesInOrder() {
    KeepPlan plan =
        contribute(List.of(), List.of("/usr/share/zoneinfo/Europe", "/opt/café"), false, false);
    assertEquals(
        List.of(
            new PathGlob("/usr/share/zoneinfo/Europe"), new PathGlob(FsPath.fromText("/opt/café"))),
        plan.excludes());
  }

  private KeepPlan contribute(
      List<String> includes, List<String> excludes, boolean bruteLib, boolean bruteUsrLib) {
    KeepPlan.Builder plan = KeepPlan.builder();
    new IncludeContributor(includes, excludes, bruteLib, bruteUsrLib)
        .contribute(TraceFixture.snapshot(FS, TracedPaths.none()), plan, reporter);
    return plan.build();
  }
}
