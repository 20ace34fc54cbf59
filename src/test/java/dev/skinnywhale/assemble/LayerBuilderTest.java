package dev.skinnywhale.assemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skinnywhale.image.Layer;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBuilderTest {
  @TempDir Path tmp;

  private Layer slim(long seed) throws Exception {
    List<FsNode> nodes = new ArrayList<>(Fixtures.usrmerge());
    Collections.shuffle(nodes, new Random(seed));
    List<String[]> entries =
        new ArrayList<>(
            List.of(
                new String[] {"/usr/bin/java", "TRACED"},
                new String[] {"/lib/x86_64-linux-gnu/libc.so.6", "STATIC_CLOSURE"},
                new String[] {"/usr/bin/uncompress", "CHANGE_SET"},
                new String[] {"/usr/bin/license", "CHANGE_SET"},
                new String[] {"/dev/null", "INCLUDE"},
                new String[] {"/etc/hostname", "CHANGE_SET"}));
    Collections.shuffle(entries, new Random(seed));
    KeepPlan.Builder b = KeepPlan.builder();
    for (String[] e : entries) {
      b.add(e[0], Reason.valueOf(e[1]));
    }
    b.addRecursive("/usr/share", Reason.CHANGE_SET);
    KeepPlan.DEFAULT_EXCLUDES.forEach(b::exclude);
    AssemblyPlan plan = new PlanExpander().expand(RootFs.of(nodes), b.build());
    return new LayerBuilder().write(plan, tmp);
  }

  @Test
  void testWrite_shuffledInputSlimmedTwice_identicalLayerAndDiffId() throws Exception {
    try (Layer a = slim(1);
        Layer b = slim(2)) {
      assertEquals(a.diffId(), b.diffId());
      assertEquals(a.size(), b.size());
      assertArrayEquals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path()));
    }
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "closing a layer deletes its file");
    }
  }
}
