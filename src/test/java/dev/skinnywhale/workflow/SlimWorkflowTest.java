package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.Change;
import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.workflow.run.NotFoundException;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain slim against a fake engine: what is kept, what is left out, and what is touched. */
class SlimWorkflowTest {
  static final String LIBDIR = "/usr/lib/x86_64-linux-gnu";

  @TempDir Path tmp;
  FakeEngine engine;
  List<String> warnings;

  @BeforeEach
  void fixture() {
    engine = new FakeEngine();
    warnings = new ArrayList<>();
    var files = engine.containerFiles;
    for (String dir :
        List.of(
            "/etc/",
            "/usr/",
            "/usr/bin/",
            "/usr/lib/",
            LIBDIR + "/",
            "/lib64/",
            "/usr/share/",
            "/usr/share/doc/",
            "/usr/share/doc/app/")) {
      files.put(dir, new byte[0]);
    }
    files.put("/lib", bytes("-> usr/lib"));
    files.put("/lib64/ld-linux-x86-64.so.2", bytes("-> " + LIBDIR + "/ld-linux-x86-64.so.2"));
    files.put(
        LIBDIR + "/ld-linux-x86-64.so.2",
        ElfFixture.x86_64().soname("ld-linux-x86-64.so.2").bytes());
    files.put(
        LIBDIR + "/libc.so.6",
        ElfFixture.x86_64().soname("libc.so.6").needed("ld-linux-x86-64.so.2").bytes());
    files.put(
        LIBDIR + "/libfoo.so.1",
        ElfFixture.x86_64().soname("libfoo.so.1").needed("libc.so.6").bytes());
    files.put(LIBDIR + "/libunused.so.1", ElfFixture.x86_64().soname("libunused.so.1").bytes());
    files.put(
        "/usr/bin/app",
        ElfFixture.x86_64()
            .interpreter("/lib64/ld-linux-x86-64.so.2")
            .needed("libfoo.so.1", "libc.so.6")
            .bytes());
    files.put("/usr/share/doc/app/README", bytes("docs"));
    files.put("/etc/hostname", bytes("x"));
    engine.diff.add(new Change(Change.Kind.MODIFIED, "/usr/bin"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/usr/bin/app"));
    engine.diff.add(new Change(Change.Kind.ADDED, "/usr/share/doc/app/README"));
    engine.diff.add(new Change(Change.Kind.DELETED, "/etc/motd"));
  }

  @Test
  void run_container_keepsChangeSetAndClosureOnly() throws Exception {
    SlimResult result = workflow().run(request(Optional.empty(), List.of(), List.of()));

    Set<String> layer = loadedLayerPaths();
    assertTrue(
        layer.containsAll(
            List.of(
                "/usr/bin/app",
                LIBDIR + "/libfoo.so.1",
                LIBDIR + "/libc.so.6",
                LIBDIR + "/ld-linux-x86-64.so.2",
                "/lib64/ld-linux-x86-64.so.2")),
        layer.toString());
    assertFalse(layer.contains(LIBDIR + "/libunused.so.1"), "unneeded library kept");
    assertFalse(layer.contains("/usr/share/doc/app/README"), "docs kept");
    assertFalse(layer.contains("/etc/hostname"), "a base file nobody needs was kept");
    assertEquals("skinny-c0ffee000000:latest", result.tag());
    assertEquals(List.of(), result.closure().unresolved());
    assertEquals(2, result.changeSetSize(), "README was not left out of the change set");
  }

  @Test
  void run_container_onlyReadsTheSourceAndRemovesNothingOfIt() throws Exception {
    workflow().run(request(Optional.empty(), List.of(), List.of()));
    for (String call : engine.calls) {
      if (call.contains(FakeEngine.CONTAINER_ID)) {
        assertTrue(
            call.startsWith("export ") || call.startsWith("diff "), "touched the source: " + call);
      }
      assertFalse(call.startsWith("removeImage"), call);
    }
    assertEquals(List.of(), engine.removed);
  }

  @Test
  void run_includeBeatsDefaultExcludes_excludeDropsAFile() throws Exception {
    workflow()
        .run(
            request(Optional.empty(), List.of("/usr/share/doc/app"), List.of(LIBDIR + "/libfoo*")));
    Set<String> layer = loadedLayerPaths();
    assertTrue(layer.contains("/usr/share/doc/app/README"), layer.toString());
    assertFalse(layer.contains(LIBDIR + "/libfoo.so.1"), layer.toString());
  }

  @Test
  void run_tagOfTheSourceImage_refusedAndNothingLoaded() {
    engine.tags.put("base:1", engine.findImage("base:1").orElseThrow());
    assertThrows(
        UnusableInputException.class,
        () -> workflow().run(request(Optional.of("base:1"), List.of(), List.of())));
    assertEquals(List.of(), engine.loaded);
  }

  @Test
  void run_image_createsOneTemporaryContainerAndRemovesIt() throws Exception {
    engine.imageFiles.putAll(engine.containerFiles);
    SlimResult result =
        workflow().run(SlimRequest.builder("base:1").outputFile(tmp.resolve("out.tar")).build());
    assertEquals(Source.Kind.IMAGE, result.source().kind());
    assertEquals(1, engine.created.size());
    assertEquals(List.copyOf(engine.created.keySet()), engine.removed);
    assertTrue(Files.size(tmp.resolve("out.tar")) > 0);
  }

  @Test
  void run_sameContainerTwice_identicalArchives() throws Exception {
    Path a = tmp.resolve("a.tar");
    Path b = tmp.resolve("b.tar");
    workflow().run(output(a));
    workflow().run(output(b));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void run_unknownTarget_notFound() {
    SlimRequest r = SlimRequest.builder("nope").build();
    assertThrows(NotFoundException.class, () -> workflow().run(r));
  }

  private SlimRequest output(Path file) {
    return SlimRequest.builder("app").outputFile(file).build();
  }

  private SlimRequest request(Optional<String> tag, List<String> includes, List<String> excludes) {
    return SlimRequest.builder("app").tag(tag).includes(includes).excludes(excludes).build();
  }

  private Slim workflow() {
    Reporter reporter =
        new Reporter() {
          @Override
          public void step(String message) {}

          @Override
          public void info(String message) {}

          @Override
          public void warn(String message) {
            warnings.add(message);
          }

          @Override
          public void debug(String message) {}
        };
    ProfileStore store =
        new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader());
    return new Slim(
        new Workflows(
            engine,
            reporter,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            store));
  }

  /** The plain slim use case, as the tests call it. */
  private record Slim(Workflows workflows) {
    SlimResult run(SlimRequest request) throws java.io.IOException {
      return workflows.slim(request);
    }
  }

  /** The paths of the layer inside the one archive that was loaded. */
  private Set<String> loadedLayerPaths() throws Exception {
    assertEquals(1, engine.loaded.size());
    try (RootFs archive =
        new TarRootFsReader().read(new ByteArrayInputStream(engine.loaded.get(0)), tmp)) {
      FsNode.RegularFile layer =
          archive
              .nodes()
              .filter(n -> n.path().endsWith("/layer.tar"))
              .map(n -> (FsNode.RegularFile) n)
              .findFirst()
              .orElseThrow();
      try (InputStream in = layer.content().open();
          RootFs fs = new TarRootFsReader().read(in, tmp)) {
        return fs.nodes().map(FsNode::path).collect(Collectors.toCollection(TreeSet::new));
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
