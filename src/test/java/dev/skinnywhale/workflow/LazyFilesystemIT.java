package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.docker.DockerJavaEngine;
import dev.skinnywhale.image.registry.RegistryOptions;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.tar.TarStreamWriter;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.steps.EngineEntries;
import dev.skinnywhale.workflow.steps.HelperFilesystem;
import dev.skinnywhale.workflow.steps.ReadFilesystem;
import dev.skinnywhale.workflow.steps.SourceReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The helper's index and tar modes in a real container against {@code docker export} of that same
 * container: every entry's metadata, every file's content.
 */
class LazyFilesystemIT {
  private static final String IMAGE = "skinnywhale-it12/lazy-fixture:" + DockerCli.RUN_ID;
  private static final Reporter QUIET =
      new Reporter() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };

  /** cap_net_bind_service+ep as a VFS_CAP_REVISION_2 value. */
  static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  /** About 3,900 bytes: the engine itself lstats it under a ~90-byte prefix, within PATH_MAX. */
  static String longPath() {
    StringBuilder p = new StringBuilder("data/long");
    while (p.length() < 3700) {
      p.append('/').append("s".repeat(190));
    }
    return p.toString();
  }

  @BeforeAll
  static void fixture() throws IOException {
    DockerCli.requireDocker();
    Path tar = Files.createTempFile("lazy-fixture", ".tar");
    try {
      try (OutputStream out = Files.newOutputStream(tar)) {
        TarStreamWriter w = new TarStreamWriter(out);
        Instant t = Instant.ofEpochSecond(1_700_000_000L);
        NodeMeta dir = new NodeMeta(0755, 0, 0, "", "", t, Map.of());
        NodeMeta file = new NodeMeta(0644, 0, 0, "", "", t, Map.of());
        w.addDirectory("etc", dir);
        add(w, "etc/passwd", file, "root:x:0:0:root:/root:/bin/sh\n");
        w.addDirectory("data", dir);
        add(w, "data/new\nline", file, "newline");
        add(w, "data/bad\u00ffname\u00e9", file, "latin-1");
        add(w, "data/file", new NodeMeta(04755, 1000, 1001, "", "", t, Map.of()), "linked");
        w.addHardLink(
            "data/hard", new NodeMeta(04755, 1000, 1001, "", "", t, Map.of()), "data/file");
        w.addSymlink("data/sym", file, "file");
        w.addCharDevice("data/null", new NodeMeta(0666, 0, 0, "", "", t, Map.of()), 1, 3);
        w.addBlockDevice("data/loop9", new NodeMeta(0660, 0, 6, "", "", t, Map.of()), 7, 9);
        w.addFifo("data/fifo", new NodeMeta(0600, 0, 0, "", "", t, Map.of()));
        Map<String, String> cap =
            Map.of(
                "SCHILY.xattr.security.capability",
                new String(CAPABILITY, StandardCharsets.ISO_8859_1));
        add(w, "data/capbin", new NodeMeta(0755, 0, 0, "", "", t, cap), "\u007fELF-ish");
        String lp = longPath();
        for (int i = "data/long".length(); i <= lp.length(); i = lp.indexOf('/', i + 1)) {
          w.addDirectory(lp.substring(0, i), dir);
          if (lp.indexOf('/', i + 1) < 0) {
            break;
          }
        }
        add(w, lp + "/end", file, "deep");
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
          big[i] = (byte) (i * 31);
        }
        w.addFile("data/big.bin", file, big.length, new ByteArrayInputStream(big));
        w.finish();
      }
      DockerCli.ok("import", tar.toString(), IMAGE);
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  private static void add(TarStreamWriter w, String name, NodeMeta meta, String text)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    w.addFile(name, meta, b.length, new ByteArrayInputStream(b));
  }

  @AfterAll
  static void removeFixture() {
    DockerCli.run("rmi", "-f", IMAGE);
  }

  /** A run of this test's id, without a cache: the images' layers are read every time. */
  private static Run open(DockerJavaEngine engine) throws IOException {
    return open(engine, QUIET);
  }

  private static Run open(dev.skinnywhale.docker.DockerEngine engine, Reporter reporter)
      throws IOException {
    return Run.open(
        engine,
        reporter,
        Clock.systemUTC(),
        Optional.of(DockerCli.RUN_ID),
        new RegistryOptions(Set.of(), Map.of()));
  }

  /**
   * The content fetched through the helper's serve session, and by an exec per batch (its {@code
   * tar} mode, what an engine that cannot attach an exec's stdin gets) is the export's.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void indexAndTar_matchTheExportOfTheSameContainer(boolean serve) throws IOException {
    var reporter = new dev.skinnywhale.workflow.run.RecordingReporter();
    try (DockerJavaEngine engine = DockerJavaEngine.fromEnvironment(new ObjectMapper());
        Run run = open(serve ? engine : withoutSessions(engine), reporter)) {
      Source source = new SourceReader(run).find(IMAGE);
      try (RootFs lazy = new HelperFilesystem(run).read(IMAGE, source).orElseThrow()) {
        String helper =
            DockerCli.ok(
                    "ps",
                    "-q",
                    "--no-trunc",
                    "--filter",
                    "label=" + Run.RUN_LABEL + "=" + DockerCli.RUN_ID,
                    "--filter",
                    "label=" + Run.TEMP_LABEL + "=helper")
                .out()
                .strip();
        assertTrue(!helper.isEmpty() && !helper.contains("\n"), "one running helper: " + helper);
        try (InputStream export = engine.export(helper);
            RootFs exported = new TarRootFsReader().read(export, run.tempDir())) {
          List<String> files = assertSame(exported, comparable(exported), lazy, comparable(lazy));
          assertTrue(files.contains("/" + longPath() + "/end"));
          assertTrue(
              lazy.get("/data/capbin")
                  .orElseThrow()
                  .meta()
                  .paxHeaders()
                  .containsKey("SCHILY.xattr.security.capability"));
          assertTrue(lazy.get("/data/hard").orElseThrow() instanceof FsNode.HardLink);
        }
      }
    }
    List<String> debug;
    synchronized (reporter) {
      debug = List.copyOf(reporter.debugs);
    }
    String way = serve ? "through its serve" : "by an exec";
    assertTrue(debug.stream().anyMatch(l -> l.contains("from the helper container " + way)), way);
    assertTrue(
        debug.stream()
            .filter(l -> l.contains("from the helper container"))
            .allMatch(l -> l.contains(way)),
        debug.toString());
    assertEquals(List.of(), DockerCli.temporaryContainers());
  }

  /** {@code engine}, but one that cannot attach an exec's stdin. */
  private static dev.skinnywhale.docker.DockerEngine withoutSessions(DockerJavaEngine engine) {
    return (dev.skinnywhale.docker.DockerEngine)
        java.lang.reflect.Proxy.newProxyInstance(
            LazyFilesystemIT.class.getClassLoader(),
            new Class<?>[] {dev.skinnywhale.docker.DockerEngine.class},
            (proxy, method, args) -> {
              if (method.getName().equals("execSession")) {
                throw new dev.skinnywhale.docker.EngineException("no sessions in this test");
              }
              try {
                return method.invoke(engine, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /**
   * The helper's read is the export's: the same nodes with the same metadata (the mount points, the
   * entries the engine touched), the same content, through the step that picks the way.
   */
  @Test
  void helperRead_givesWhatTheExportReadGives() throws IOException {
    try (DockerJavaEngine engine = DockerJavaEngine.fromEnvironment(new ObjectMapper());
        Run run = open(engine)) {
      Source source = new SourceReader(run).find(IMAGE);
      try (RootFs lazy = new HelperFilesystem(run).read(IMAGE, source).orElseThrow();
          RootFs exported = new ReadFilesystem(run, ReadFilesystem.Mode.EXPORT).read(source)) {
        List<String> files =
            assertSame(exported, exported.nodes().toList(), lazy, lazy.nodes().toList());
        assertTrue(files.contains("/etc/hosts"), "the engine's placeholder is a file of both");
      }
    }
    assertEquals(List.of(), DockerCli.temporaryContainers());
  }

  /**
   * An image a container of which does not start (a directory where the engine mounts its hosts
   * file) is exported instead, and the helper that could not start is removed.
   */
  @Test
  void anImageThatCannotStart_isExportedInstead() throws IOException {
    String image = "skinnywhale-it12/cannot-start:" + DockerCli.RUN_ID;
    Path tar = Files.createTempFile("cannot-start", ".tar");
    try {
      try (OutputStream out = Files.newOutputStream(tar)) {
        TarStreamWriter w = new TarStreamWriter(out);
        NodeMeta dir =
            new NodeMeta(0755, 0, 0, "", "", Instant.ofEpochSecond(1_700_000_000L), Map.of());
        w.addDirectory("etc", dir);
        w.addDirectory("etc/hosts", dir);
        add(w, "etc/app.conf", new NodeMeta(0644, 0, 0, "", "", Instant.EPOCH, Map.of()), "kept");
        w.finish();
      }
      DockerCli.ok("import", tar.toString(), image);
      try (DockerJavaEngine engine = DockerJavaEngine.fromEnvironment(new ObjectMapper());
          Run run = open(engine)) {
        Source source = new SourceReader(run).find(image);
        assertEquals(Optional.empty(), new HelperFilesystem(run).read(image, source));
        assertEquals(List.of(), DockerCli.temporaryContainers());
        try (RootFs fs = new ReadFilesystem(run, ReadFilesystem.Mode.HELPER).read(source)) {
          assertTrue(fs.get("/etc/hosts").orElseThrow() instanceof FsNode.Directory);
          assertTrue(fs.file("/etc/app.conf").isPresent());
          assertTrue(run.steps().timings().containsKey("export"));
        }
      }
      assertEquals(List.of(), DockerCli.temporaryContainers());
    } finally {
      Files.deleteIfExists(tar);
      DockerCli.run("rmi", "-f", image);
    }
  }

  /**
   * Every node but the engine's mounts and placeholders, the entries it touched (given the image's
   * own metadata in the helper's read) and the helper's own directory.
   */
  private static List<FsNode> comparable(RootFs fs) {
    Set<String> touched = EngineEntries.touched("");
    return fs.nodes()
        .filter(n -> !touched.contains(n.path()))
        .filter(n -> !SourceReader.ENGINE_PLACEHOLDERS.contains(n.path()))
        .filter(n -> !n.path().equals("/.dockerenv"))
        .filter(n -> !FsPath.isUnder(n.path(), HelperFilesystem.DIR))
        .filter(
            n ->
                List.of("/dev", "/proc", "/sys").stream()
                    .noneMatch(v -> FsPath.isUnder(n.path(), v)))
        .toList();
  }

  /**
   * {@code got} (nodes of {@code lazy}) is {@code want} (of {@code exported}): the same paths, the
   * same metadata, the same content of every regular file; the regular files' paths.
   */
  private static List<String> assertSame(
      RootFs exported, List<FsNode> want, RootFs lazy, List<FsNode> got) throws IOException {
    assertEquals(want.stream().map(FsNode::path).toList(), got.stream().map(FsNode::path).toList());
    List<String> files = new ArrayList<>();
    for (int i = 0; i < want.size(); i++) {
      assertEquals(withoutContent(want.get(i)), withoutContent(got.get(i)));
      if (want.get(i) instanceof FsNode.RegularFile f) {
        files.add(f.path());
      }
    }
    lazy.prefetch(files);
    for (String p : files) {
      try (InputStream a = exported.file(p).orElseThrow().content().open();
          InputStream b = lazy.file(p).orElseThrow().content().open()) {
        assertTrue(java.util.Arrays.equals(a.readAllBytes(), b.readAllBytes()), p);
      }
    }
    return files;
  }

  private static Object withoutContent(FsNode n) {
    return n instanceof FsNode.RegularFile f ? List.of(f.path(), f.meta(), f.size()) : n;
  }
}
