package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.SlimRequest;
import dev.skinnywhale.workflow.Workflows;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the slim image goes, checked before any work is done. */
class DestinationTest {
  @TempDir Path tmp;
  final FakeEngine engine = new FakeEngine();
  Run run;
  Source source;

  @BeforeEach
  void open() throws Exception {
    run = Run.open(engine, new RecordingReporter(), CLOCK);
    source = StepFixture.container(run);
  }

  @AfterEach
  void close() {
    run.close();
  }

  @Test
  void choose_noTag_skinnyShortIdLatest() {
    Destination d = Destination.choose(engine, source, Optional.empty(), Optional.empty());
    assertEquals("skinny-" + source.shortId() + ":latest", d.tag());
    assertEquals("skinny-c0ffee000000:latest", d.tag());
    assertEquals(Optional.empty(), d.output());
  }

  @Test
  void choose_tagWithoutVersion_latestAdded_tagWithOneKept() {
    assertEquals("slim:latest", tag("slim"));
    assertEquals("slim:1.2", tag("slim:1.2"));
    assertEquals("me/slim:latest", tag("me/slim"));
  }

  @Test
  void choose_registryPort_isNotATag() {
    assertEquals("host:5000/x:latest", tag("host:5000/x"));
    assertEquals("host:5000/x:2", tag("host:5000/x:2"));
  }

  @Test
  void choose_tagOfTheSourceImage_refused() {
    engine.tags.put("base:1", engine.findImage("base:1").orElseThrow());
    UnusableInputException e =
        assertThrows(
            UnusableInputException.class,
            () -> Destination.choose(engine, source, Optional.of("base:1"), Optional.empty()));
    assertTrue(e.getMessage().contains("base:1"), e.getMessage());
  }

  @Test
  void choose_tagOfAnotherImage_allowed() {
    engine.tags.put("old:latest", otherImage());
    assertEquals(
        "old:latest",
        Destination.choose(engine, source, Optional.of("old"), Optional.empty()).tag());
  }

  @Test
  void choose_tagOfTheSourceImageWrittenToAFile_allowed() {
    engine.tags.put("base:1", engine.findImage("base:1").orElseThrow());
    Path out = tmp.resolve("slim.tar");
    Destination d = Destination.choose(engine, source, Optional.of("base:1"), file(out));
    assertEquals(Optional.of(out), d.output().map(o -> Path.of(o.location())));
  }

  @Test
  void checkOutput_missingDirectory_noSuchFile() {
    Path out = tmp.resolve("missing/slim.tar");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> Destination.checkOutput(file(out)));
    assertEquals(tmp.resolve("missing").toString(), e.getFile());
  }

  @Test
  void checkOutput_aDirectory_refused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("out"));
    java.nio.file.FileSystemException e =
        assertThrows(
            java.nio.file.FileSystemException.class, () -> Destination.checkOutput(file(dir)));
    assertEquals(dir.toString(), e.getFile());
  }

  @Test
  void checkOutput_aSymlink_refusedBeforeAnyWork() throws Exception {
    Path victim = Files.writeString(tmp.resolve("victim"), "precious");
    Path link = Files.createSymbolicLink(tmp.resolve("slim.tar"), victim);
    assertThrows(
        java.nio.file.FileSystemException.class, () -> Destination.checkOutput(file(link)));
    assertEquals("precious", Files.readString(victim));
  }

  @Test
  void checkOutput_newOrExistingFileOrNone_fine() throws Exception {
    assertDoesNotThrow(() -> Destination.checkOutput(Optional.empty()));
    assertDoesNotThrow(() -> Destination.checkOutput(file(tmp.resolve("new.tar"))));
    Path old = Files.writeString(tmp.resolve("old.tar"), "x");
    assertDoesNotThrow(() -> Destination.checkOutput(file(old)));
  }

  @Test
  void checkOutput_slimToAMissingDirectory_failsBeforeTheEngineIsAsked() {
    FakeEngine fresh = new FakeEngine();
    Workflows workflows =
        new Workflows(
            fresh,
            new RecordingReporter(),
            CLOCK,
            new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader()));
    SlimRequest request =
        SlimRequest.builder("app").outputFile(tmp.resolve("missing/slim.tar")).build();
    assertThrows(NoSuchFileException.class, () -> workflows.slim(request));
    assertEquals(List.of(), fresh.calls);
  }

  private String tag(String asked) {
    return Destination.choose(engine, source, Optional.of(asked), Optional.empty()).tag();
  }

  private static ImageDetails otherImage() {
    return new ImageDetails(
        "sha256:" + "9".repeat(64),
        List.of("old:latest"),
        1,
        List.of(),
        FakeEngine.JSON.createObjectNode());
  }

  /** A docker-archive output at {@code path}, as a plain -o FILE gives it. */
  private static Optional<dev.skinnywhale.image.ImageReference> file(Path path) {
    return Optional.of(dev.skinnywhale.image.ImageReference.parseOutput(path.toString()));
  }
}
