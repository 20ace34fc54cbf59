package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static dev.skinnywhale.workflow.steps.StepFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.NotFoundException;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user added: the container's diff, the whole image, or the image above --base. */
class TakeChangeSetTest {
  @TempDir Path tmp;
  final FakeEngine engine = new FakeEngine();

  @Test
  void take_container_itsDiffWithoutDeletions() throws Exception {
    engine.diff.add(new Change(Change.Kind.MODIFIED, "/usr/bin"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/usr/bin/app"));
    engine.diff.add(new Change(Change.Kind.DELETED, "/etc/motd"));
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = StepFixture.fs(Map.of("/usr/bin/app", bytes("x")), tmp)) {
      SortedSet<String> changes =
          new TakeChangeSet(run).take(StepFixture.container(run), fs, Optional.empty());
      assertEquals(List.of("/usr/bin", "/usr/bin/app"), List.copyOf(changes));
      assertTrue(engine.calls.contains("diff " + FakeEngine.CONTAINER_ID));
    }
  }

  @Test
  void take_image_everythingButTheEnginesPlaceholders() throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("/etc/", new byte[0]);
    files.put("/etc/app.conf", bytes("x"));
    files.put("/etc/hostname", bytes("x"));
    files.put("/etc/resolv.conf", bytes("x"));
    files.put("/.dockerenv", new byte[0]);
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = StepFixture.fs(files, tmp)) {
      SortedSet<String> changes =
          new TakeChangeSet(run).take(StepFixture.image(run), fs, Optional.empty());
      assertTrue(changes.containsAll(Set.of("/etc", "/etc/app.conf")), changes.toString());
      for (String placeholder : SourceReader.ENGINE_PLACEHOLDERS) {
        assertFalse(changes.contains(placeholder), placeholder);
      }
      assertEquals(Map.of(), engine.created, "an image without --base needs no other export");
    }
  }

  @Test
  void take_imageWithBase_whatIsNewOrDifferentFromTheBase() throws Exception {
    engine.imageFiles.put("/etc/", new byte[0]);
    engine.imageFiles.put("/etc/os-release", bytes("debian"));
    engine.imageFiles.put("/etc/same.conf", bytes("same"));
    engine.imageFiles.put("/etc/bin", bytes("-> /usr/bin"));
    Map<String, byte[]> files = new TreeMap<>(engine.imageFiles);
    files.put("/etc/os-release", bytes("debian 13"));
    files.put("/etc/bin", bytes("-> /usr/local/bin"));
    files.put("/etc/hostname", bytes("added by the engine"));
    files.put("/app/", new byte[0]);
    files.put("/app/run", bytes("new"));
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = StepFixture.fs(files, tmp)) {
      SortedSet<String> changes =
          new TakeChangeSet(run).take(StepFixture.image(run), fs, Optional.of("base:1"));
      assertEquals(
          List.of("/app", "/app/run", "/etc/bin", "/etc/os-release"), List.copyOf(changes));
      assertEquals(1, engine.created.size(), "the base is read through one container");
      assertEquals(List.copyOf(engine.created.keySet()), engine.removed);
    }
  }

  @Test
  void take_unknownBase_notFound() throws Exception {
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = StepFixture.fs(Map.of("/a", bytes("x")), tmp)) {
      var source = StepFixture.image(run);
      assertThrows(
          NotFoundException.class,
          () -> new TakeChangeSet(run).take(source, fs, Optional.of("nope:1")));
    }
  }
}
