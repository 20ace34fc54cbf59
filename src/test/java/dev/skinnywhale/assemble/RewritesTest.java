package dev.skinnywhale.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Files given new content (or dropped) between expansion and the layer. */
class RewritesTest {
  static final NodeMeta META =
      new NodeMeta(
          0640,
          7,
          8,
          "app",
          "app",
          Instant.ofEpochSecond(1_700_000_000L),
          Map.of("SCHILY.xattr.user.x", "1"));

  @Test
  void rewritten_newContentWithTheOriginalMetadata_droppedFilesGoButNotDirsOrLinkTargets() {
    RootFs fs =
        RootFs.of(
            List.of(
                new FsNode.RegularFile("/var/lib/db/status", META, new BytesBlob(new byte[100])),
                new FsNode.RegularFile("/var/lib/db/old", META, new BytesBlob(new byte[5])),
                new FsNode.RegularFile("/var/lib/db/linked", META, new BytesBlob(new byte[5])),
                new FsNode.HardLink("/var/lib/db/link", META, "/var/lib/db/linked")));
    KeepPlan plan = KeepPlan.builder().addRecursive("/var/lib/db", Reason.PACKAGE_DB).build();
    AssemblyPlan expanded = new PlanExpander().expand(fs, plan);
    TreeMap<String, Blob> contents = new TreeMap<>();
    contents.put("/var/lib/db/status", new BytesBlob("pruned\n".getBytes()));
    contents.put("/not/kept", new BytesBlob(new byte[1]));
    AssemblyPlan out =
        expanded.rewritten(
            new Rewrites(
                contents,
                new TreeSet<>(List.of("/var/lib/db/old", "/var/lib/db", "/var/lib/db/linked"))));

    FsNode.RegularFile status =
        (FsNode.RegularFile)
            out.nodes().stream()
                .filter(n -> n.path().equals("/var/lib/db/status"))
                .findFirst()
                .orElseThrow();
    assertEquals(META, status.meta());
    assertEquals(7, status.size());
    assertEquals(
        7,
        out.kept().stream()
            .filter(k -> k.path().equals("/var/lib/db/status"))
            .findFirst()
            .orElseThrow()
            .size());
    assertFalse(out.paths().contains("/var/lib/db/old"));
    assertTrue(out.paths().contains("/var/lib/db"), "a directory is never dropped");
    assertTrue(out.paths().contains("/var/lib/db/linked"), "a kept hard link needs it");
    assertFalse(out.paths().contains("/not/kept"));
    assertEquals(
        100,
        ((FsNode.RegularFile) fs.get("/var/lib/db/status").orElseThrow()).size(),
        "input unchanged");
    assertTrue(expanded.paths().contains("/var/lib/db/old"), "the expanded plan is unchanged");
  }
}
