package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.workflow.FakeEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mount points read through several created containers, each path in a call of its own. */
class MountPointsTest {
  final FakeEngine engine = new FakeEngine();

  private List<String> created(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          engine.createContainer(
              new ContainerSpec(
                  "base:1",
                  Optional.empty(),
                  Optional.empty(),
                  List.of(),
                  Optional.empty(),
                  Optional.empty(),
                  "none",
                  java.util.Map.of())));
    }
    return ids;
  }

  @Test
  void read_pathsDealtOutOverTheContainersInTurn() throws Exception {
    List<String> ids = created(3);
    MountPoints.Read read = MountPoints.read(engine, ids, "/.skinnywhale-helper").orElseThrow();

    for (int i = 0; i < MountPoints.PATHS.size(); i++) {
      String call = "copyOut " + ids.get(i % 3) + " " + MountPoints.PATHS.get(i);
      assertTrue(engine.calls.contains(call), call + " in " + engine.calls);
    }
    String also = "copyOut " + ids.get(2) + " /.skinnywhale-helper";
    assertTrue(engine.calls.contains(also), engine.calls.toString());
    assertTrue(read.has(), "the fake engine has an entry at every path");
    List<String> paths = read.nodes().stream().map(FsNode::path).toList();
    for (String p : MountPoints.PATHS) {
      assertTrue(paths.contains(p), p + " in " + paths);
    }
    assertFalse(
        paths.stream().anyMatch(p -> p.startsWith("/.skinnywhale-helper")), paths.toString());
  }

  @Test
  void read_oneContainer_everyCallThroughIt() throws Exception {
    List<String> ids = created(1);
    MountPoints.read(engine, ids, "/x").orElseThrow();
    long calls = engine.calls.stream().filter(c -> c.startsWith("copyOut " + ids.get(0))).count();
    assertEquals(MountPoints.PATHS.size() + 1, calls);
  }

  @Test
  void read_pathsTheImageLacks_noNodes_andNoEntryBesideThem() throws Exception {
    List<String> ids = created(2);
    String absent = MountPoints.PATHS.get(0);
    engine.copyOutMissing.add(absent);
    engine.copyOutMissing.add("/.skinnywhale-helper");
    MountPoints.Read read = MountPoints.read(engine, ids, "/.skinnywhale-helper").orElseThrow();

    assertFalse(read.has(), "a 404 for the path asked about is no entry there");
    List<String> paths = read.nodes().stream().map(FsNode::path).toList();
    assertFalse(paths.stream().anyMatch(p -> p.equals(absent)), paths.toString());
    for (String p : MountPoints.PATHS.subList(1, MountPoints.PATHS.size())) {
      assertTrue(paths.contains(p), p + " in " + paths);
    }
  }

  @Test
  void read_noContainer_refused() {
    assertThrows(IllegalArgumentException.class, () -> MountPoints.read(engine, List.of(), "/x"));
  }
}
