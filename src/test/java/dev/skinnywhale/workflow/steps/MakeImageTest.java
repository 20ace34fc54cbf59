package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.file;
import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slim image: written to a file in one move, or loaded into the engine. */
class MakeImageTest {
  static final RootFs FS = RootFs.of(List.of(file("/etc/app.conf"), file("/etc/other.conf")));
  static final KeepPlan PLAN = KeepPlan.builder().add("/etc/app.conf", Reason.CHANGE_SET).build();

  @TempDir Path tmp;
  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();
  Run run;
  Source source;

  @BeforeEach
  void open() throws Exception {
    run = Run.open(engine, reporter, CLOCK);
    source = StepFixture.image(run);
  }

  @AfterEach
  void close() {
    run.close();
  }

  @Test
  void make_output_writtenInPlaceNothingLoadedNoPartialFileLeft() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out")).resolve("slim.tar");
    Files.writeString(out, "an older archive");
    MakeImage.Made made =
        new MakeImage(run).make(FS, PLAN, source, new Destination("slim:latest", archiveAt(out)));

    byte[] archive = Files.readAllBytes(out);
    assertEquals(List.of("slim:latest"), repoTags(archive));
    assertEquals(List.of(), engine.loaded);
    assertTrue(made.slimSize() > 0);
    assertTrue(made.plan().nodes().stream().map(FsNode::path).toList().contains("/etc/app.conf"));
    assertEquals(List.of(out), filesIn(out.getParent()), "a partial file was left");
  }

  @Test
  void make_outputCannotBeMovedInPlace_noPartialFileLeft() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out/slim.tar"));
    Files.writeString(out.resolve("keep-me"), "x");
    assertThrows(
        IOException.class,
        () ->
            new MakeImage(run)
                .make(FS, PLAN, source, new Destination("slim:latest", archiveAt(out))));
    assertEquals(List.of(out), filesIn(out.getParent()), "a partial file was left");
    assertTrue(Files.exists(out.resolve("keep-me")));
  }

  @Test
  void make_noOutput_loadedIntoTheEngineWithTheTag() throws Exception {
    MakeImage.Made made =
        new MakeImage(run).make(FS, PLAN, source, new Destination("slim:latest", Optional.empty()));
    assertEquals(1, engine.loaded.size());
    assertEquals(List.of("slim:latest"), repoTags(engine.loaded.get(0)));
    assertTrue(made.slimSize() > 0);
    assertTrue(Files.notExists(run.tempDir().resolve("image.tar")), "the archive was left behind");
    assertTrue(run.steps().timings().containsKey("load"));
  }

  @Test
  void make_tagNamingTheSourceImage_refusedAndNothingLoaded() {
    engine.tags.put("base:1", engine.findImage("base:1").orElseThrow());
    assertThrows(
        UnusableInputException.class,
        () ->
            new MakeImage(run).make(FS, PLAN, source, new Destination("base:1", Optional.empty())));
    assertEquals(List.of(), engine.loaded);
  }

  @Test
  void make_tagOfAnotherImage_movesAndSaysSo() throws Exception {
    engine.tags.put(
        "slim:latest",
        new ImageDetails(
            "sha256:" + "9".repeat(64),
            List.of(),
            1,
            List.of(),
            FakeEngine.JSON.createObjectNode()));
    new MakeImage(run).make(FS, PLAN, source, new Destination("slim:latest", Optional.empty()));
    assertEquals(1, engine.loaded.size());
    assertTrue(
        reporter.infos.stream().anyMatch(i -> i.contains("moves to the new image")),
        reporter.infos.toString());
  }

  @Test
  void make_planPathNotInTheImage_warned() throws Exception {
    KeepPlan plan =
        KeepPlan.builder()
            .add("/etc/app.conf", Reason.INCLUDE)
            .add("/nope", Reason.INCLUDE)
            .build();
    new MakeImage(run).make(FS, plan, source, new Destination("slim:latest", Optional.empty()));
    assertEquals(List.of("not in the image, not kept: /nope"), reporter.warnings);
  }

  /** The RepoTags of the one image in a docker-load archive. */
  private List<String> repoTags(byte[] archive) throws Exception {
    try (RootFs fs = new TarRootFsReader().read(new ByteArrayInputStream(archive), tmp)) {
      FsNode.RegularFile manifest = fs.file("/manifest.json").orElseThrow();
      try (InputStream in = manifest.content().open()) {
        JsonNode json = FakeEngine.JSON.readTree(in);
        return FakeEngine.JSON.convertValue(
            json.get(0).get("RepoTags"),
            FakeEngine.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
      }
    }
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /** A docker-archive output at {@code path}, as a plain -o FILE gives it. */
  private static Optional<dev.skinnywhale.image.ImageReference> archiveAt(Path path) {
    return Optional.of(dev.skinnywhale.image.ImageReference.parseOutput(path.toString()));
  }
}
