package dev.skinnywhale.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlanExpanderTest {
  private final RootFs fs = RootFs.of(Fixtures.usrmerge());

  private AssemblyPlan expand(KeepPlan.Builder plan) {
    return new PlanExpander().expand(fs, plan.build());
  }

  private static Map<String, Set<Reason>> reasons(AssemblyPlan plan) {
    Map<String, Set<Reason>> out = new TreeMap<>();
    plan.kept().forEach(k -> out.put(k.path(), k.reasons()));
    return out;
  }

  @Test
  void testExpand_symlinkChain_keepsEveryHopAndTarget() {
    AssemblyPlan plan = expand(KeepPlan.builder().add("/usr/bin/java", Reason.TRACED));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(
        Map.ofEntries(
            Map.entry("/etc", Set.of(Reason.PARENT)),
            Map.entry("/etc/alternatives", Set.of(Reason.PARENT)),
            Map.entry("/etc/alternatives/java", Set.of(Reason.SYMLINK_HOP)),
            Map.entry("/usr", Set.of(Reason.PARENT)),
            Map.entry("/usr/bin", Set.of(Reason.PARENT)),
            Map.entry("/usr/bin/java", Set.of(Reason.TRACED)),
            Map.entry("/usr/lib", Set.of(Reason.PARENT)),
            Map.entry("/usr/lib/jvm", Set.of(Reason.PARENT)),
            Map.entry("/usr/lib/jvm/bin", Set.of(Reason.PARENT)),
            Map.entry("/usr/lib/jvm/bin/java", Set.of(Reason.SYMLINK_HOP))),
        r);
    assertEquals(r.keySet().stream().toList(), plan.nodes().stream().map(FsNode::path).toList());
    assertTrue(plan.missing().isEmpty());
  }

  @Test
  void testExpand_usrmergePath_keepsLinkRealFileAndParentsWithRealMetadata() {
    AssemblyPlan plan =
        expand(KeepPlan.builder().add("/lib/x86_64-linux-gnu/libc.so.6", Reason.STATIC_CLOSURE));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/lib"));
    assertEquals(Set.of(Reason.STATIC_CLOSURE), r.get("/usr/lib/x86_64-linux-gnu/libc.so.6"));
    assertEquals(Set.of(Reason.PARENT), r.get("/usr/lib/x86_64-linux-gnu"));
    assertFalse(r.containsKey("/usr/lib/x86_64-linux-gnu/libm.so.6"));
    FsNode parent =
        plan.nodes().stream()
            .filter(n -> n.path().equals("/usr/lib/x86_64-linux-gnu"))
            .findFirst()
            .orElseThrow();
    assertEquals(fs.get("/usr/lib/x86_64-linux-gnu").orElseThrow(), parent);
    assertEquals(0750, parent.meta().mode());
  }

  @Test
  void testExpand_interpreterThroughTwoLinks() {
    AssemblyPlan plan =
        expand(KeepPlan.builder().add("/lib64/ld-linux-x86-64.so.2", Reason.STATIC_CLOSURE));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/lib64"));
    // the entry is the symlink in /usr/lib64 (lstat), which keeps its target
    assertEquals(Set.of(Reason.STATIC_CLOSURE), r.get("/usr/lib64/ld-linux-x86-64.so.2"));
    assertEquals(
        Set.of(Reason.SYMLINK_HOP), r.get("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
  }

  @Test
  void testExpand_symlinkToDirectory_keepsDirectoryNodeOnly() {
    AssemblyPlan plan = expand(KeepPlan.builder().add("/lib", Reason.INCLUDE));
    assertEquals(
        List.of("/lib", "/usr", "/usr/lib"), plan.nodes().stream().map(FsNode::path).toList());
  }

  @Test
  void testExpand_recursiveSymlinkToDirectory_keepsLinkAndTargetSubtree() {
    AssemblyPlan plan = expand(KeepPlan.builder().addRecursive("/lib", Reason.BRUTE));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/lib"));
    assertEquals(Set.of(Reason.BRUTE), r.get("/usr/lib/x86_64-linux-gnu/libm.so.6"));
    assertEquals(Set.of(Reason.BRUTE), r.get("/usr/lib/jvm/bin/java"));
    assertEquals(Set.of(Reason.PARENT), r.get("/usr"));
  }

  @Test
  void testExpand_hardLink_keepsTargetWithTheLinksReasons() {
    AssemblyPlan plan = expand(KeepPlan.builder().add("/usr/bin/uncompress", Reason.CHANGE_SET));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(Set.of(Reason.CHANGE_SET), r.get("/usr/bin/gunzip"));
    assertEquals(Set.of(Reason.CHANGE_SET), r.get("/usr/bin/uncompress"));
  }

  @Test
  void testExpand_excludes_dropSelectionButNotNeededParentsOrTargets() {
    KeepPlan.Builder b =
        KeepPlan.builder()
            .addRecursive("/usr/share", Reason.CHANGE_SET)
            .add("/usr/bin/license", Reason.CHANGE_SET)
            .add("/usr/share/doc/pkg/changelog", Reason.TRACED)
            .exclude(new PathGlob("/usr/share/doc"));
    Map<String, Set<Reason>> r = reasons(expand(b));
    assertEquals(Set.of(Reason.CHANGE_SET), r.get("/usr/share/pkg.txt"));
    // the kept symlink needs its excluded target, and the target its excluded parents
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/usr/share/doc/pkg/copyright"));
    assertEquals(Set.of(Reason.PARENT), r.get("/usr/share/doc"));
    assertEquals(Set.of(Reason.PARENT), r.get("/usr/share/doc/pkg"));
    // selected but excluded, whatever the reason
    assertFalse(r.containsKey("/usr/share/doc/pkg/changelog"));
  }

  @Test
  void testExpand_wholeRootWithDefaultExcludes() {
    KeepPlan.Builder b = KeepPlan.builder().addRecursive("/", Reason.INCLUDE);
    KeepPlan.DEFAULT_EXCLUDES.forEach(b::exclude);
    AssemblyPlan plan = expand(b);
    Map<String, Set<Reason>> r = reasons(plan);
    assertFalse(r.containsKey("/"), "the root is not a layer entry");
    // /usr/bin/license points into the excluded docs: its target and their parents stay
    assertEquals(Set.of(Reason.PARENT), r.get("/usr/share/doc"));
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/usr/share/doc/pkg/copyright"));
    assertFalse(r.containsKey("/usr/share/doc/pkg/changelog"));
    assertFalse(r.containsKey("/var/cache/apt"));
    assertEquals(Set.of(Reason.INCLUDE), r.get("/var/cache"));
    assertTrue(r.containsKey("/dev/null"));
    assertTrue(r.containsKey("/loop1"));
  }

  @Test
  void testExpand_missingPathsListedNotFatal_danglingAndLoopingLinksKept() {
    AssemblyPlan plan =
        expand(
            KeepPlan.builder()
                .add("/nope", Reason.TRACED)
                .add("/lib/nope.so", Reason.STATIC_CLOSURE)
                .add("/dangling", Reason.TRACED)
                .add("/loop1", Reason.TRACED)
                .add("/etc/hostname", Reason.CHANGE_SET));
    assertEquals(List.of("/lib/nope.so", "/nope"), plan.missing());
    Map<String, Set<Reason>> r = reasons(plan);
    assertTrue(r.containsKey("/dangling"));
    assertEquals(Set.of(Reason.TRACED, Reason.SYMLINK_HOP), r.get("/loop1")); // a hop of /loop2
    assertEquals(Set.of(Reason.SYMLINK_HOP), r.get("/loop2"));
    assertTrue(r.containsKey("/etc/hostname"));
    assertFalse(r.containsKey("/lib"), "a missing path keeps nothing");
  }

  @Test
  void testExpand_recursiveDanglingOrLoopingLink_theLinkItselfKept() {
    AssemblyPlan plan =
        expand(
            KeepPlan.builder()
                .addRecursive("/dangling", Reason.INCLUDE)
                .addRecursive("/loop1", Reason.INCLUDE));
    Map<String, Set<Reason>> r = reasons(plan);
    assertEquals(Set.of(Reason.INCLUDE), r.get("/dangling"));
    assertTrue(r.get("/loop1").contains(Reason.INCLUDE), r.toString());
    assertEquals(List.of(), plan.missing());
    assertTrue(
        plan.nodes().stream()
            .anyMatch(n -> n.path().equals("/dangling") && n instanceof FsNode.Symlink));
  }

  @Test
  void testExpand_reasonsMergeAndTotals() {
    AssemblyPlan plan =
        expand(
            KeepPlan.builder()
                .add("/usr/lib/jvm/bin/java", Reason.TRACED)
                .add("/usr/bin/java", Reason.CHANGE_SET)
                .add("/usr/lib/jvm/bin/java", Reason.PROFILE));
    assertEquals(
        EnumSet.of(Reason.TRACED, Reason.PROFILE, Reason.SYMLINK_HOP),
        reasons(plan).get("/usr/lib/jvm/bin/java"));
    Map<Reason, AssemblyPlan.Totals> totals = plan.totalsByReason();
    assertEquals(new AssemblyPlan.Totals(1, 13), totals.get(Reason.TRACED));
    assertEquals(new AssemblyPlan.Totals(2, 13), totals.get(Reason.SYMLINK_HOP));
    assertEquals(13, plan.totalBytes());
  }

  @Test
  void testKeepPlan_builderMergesAndFreezes() {
    KeepPlan.Builder b = KeepPlan.builder().add("/a/./b/", Reason.TRACED);
    KeepPlan first = b.build();
    b.addRecursive("/a/b", Reason.INCLUDE);
    KeepPlan second = b.build();
    assertEquals(new KeepEntry("/a/b", Set.of(Reason.TRACED), false), first.entries().get("/a/b"));
    assertEquals(
        new KeepEntry("/a/b", Set.of(Reason.TRACED, Reason.INCLUDE), true),
        second.entries().get("/a/b"));
  }

  /** A hard link whose target the archive lacks cannot be written: left out and reported. */
  @Test
  void testExpand_hardLinkToMissingTarget_leftOutAndReported() {
    RootFs broken =
        RootFs.of(
            List.of(
                Fixtures.dir("/d", 0755),
                new FsNode.HardLink("/d/b", Fixtures.meta(0644), "/gone")));
    AssemblyPlan plan =
        new PlanExpander().expand(broken, KeepPlan.builder().add("/d/b", Reason.TRACED).build());
    assertTrue(plan.nodes().stream().noneMatch(n -> n.path().equals("/d/b")), plan.toString());
    assertTrue(plan.missing().contains("/gone"), plan.missing().toString());
    new LayerBuilderProbe().write(plan);
  }

  /** Writing the layer must not fail on what the expansion kept. */
  private static final class LayerBuilderProbe {
    void write(AssemblyPlan plan) {
      try {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("probe");
        try (var layer = new LayerBuilder().write(plan, dir)) {
          assertTrue(layer.size() > 0);
        } finally {
          dev.skinnywhale.workflow.run.TempFiles.deleteRecursively(dir);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
