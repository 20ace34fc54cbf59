package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.image.Compression;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.ManifestJson;
import dev.skinnywhale.image.OciImages;
import dev.skinnywhale.image.OciLayoutReader;
import dev.skinnywhale.image.TestImages;
import dev.skinnywhale.image.Transport;
import dev.skinnywhale.profile.ProfileStore;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.run.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images read from and written to files without the engine; trace loading such an input itself. */
class DaemonlessWorkflowTest {
  @TempDir Path tmp;
  FakeEngine engine;
  Path archive;

  @BeforeEach
  void fixture() throws Exception {
    engine = new FakeEngine();
    Map<String, byte[]> files = new TreeMap<>();
    files.put("/etc/", new byte[0]);
    files.put("/etc/base.conf", "base".getBytes());
    files.put("/usr/", new byte[0]);
    files.put("/usr/bin/", new byte[0]);
    files.put("/usr/bin/app", ElfFixture.x86_64().bytes());
    files.put("/usr/bin/other", ElfFixture.x86_64().bytes());
    archive =
        TestImages.ociArchive(
            tmp.resolve("in.tar"), List.of(FakeEngine.tar(files)), Compression.GZIP, m -> {});
  }

  private Workflows workflows() {
    Reporter quiet =
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
    return new Workflows(
        engine,
        quiet,
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
        new ProfileStore(tmp, Optional.empty(), Optional.empty(), getClass().getClassLoader()),
        Map.of(),
        Optional.empty());
  }

  private SlimRequest request(String target, Optional<String> base, Optional<ImageReference> out) {
    return SlimRequest.builder(target)
        .base(base)
        .tag(Optional.of("slim:1"))
        .output(out)
        .io(new ImageOptions(Compression.ZSTD, Set.of()))
        .build();
  }

  @Test
  void slim_ociArchiveToOciLayout_noEngineCall() throws Exception {
    Path out = tmp.resolve("out");
    SlimResult r =
        workflows()
            .slim(
                request(
                    "oci-archive:" + archive,
                    Optional.empty(),
                    Optional.of(ImageReference.parseOutput("oci:" + out))));
    assertEquals(List.of(), engine.calls, "the engine is never asked");
    assertEquals(Transport.OCI_ARCHIVE, r.source().transport());
    assertTrue(r.digest().orElseThrow().startsWith("sha256:"));
    ManifestJson json = new ManifestJson(FakeEngine.JSON);
    try (LayeredImage image =
            new OciLayoutReader(new OciImages(json, "linux/amd64"))
                .read(
                    ImageReference.parseInput("oci:" + out + ":slim:1"),
                    out,
                    new LayerReader(tmp, 1 << 30));
        RootFs fs = image.filesystem()) {
      assertTrue(fs.get("/usr/bin/app").isPresent());
      assertTrue(fs.get("/etc/base.conf").isPresent(), "an image without --base is all change set");
    }
  }

  @Test
  void slim_baseFromAnArchive_keepsOnlyWhatIsNew() throws Exception {
    Map<String, byte[]> base = new TreeMap<>();
    base.put("/etc/", new byte[0]);
    base.put("/etc/base.conf", "base".getBytes());
    Path baseArchive =
        TestImages.ociArchive(
            tmp.resolve("base.tar"), List.of(FakeEngine.tar(base)), Compression.NONE, m -> {});
    SlimResult r =
        workflows()
            .slim(
                request(
                    "oci-archive:" + archive,
                    Optional.of("oci-archive:" + baseArchive),
                    Optional.of(ImageReference.parseOutput(tmp.resolve("out.tar").toString()))));
    assertEquals(List.of(), engine.calls);
    assertTrue(
        r.plan().kept().stream().noneMatch(k -> k.path().equals("/etc/base.conf")),
        r.plan().kept().toString());
    assertTrue(Files.size(tmp.resolve("out.tar")) > 0);
  }

  @Test
  void trace_archiveInput_loadedForTheProbesAndRemoved() throws Exception {
    TraceRequest t =
        new TraceRequest(
            request("oci-archive:" + archive, Optional.empty(), Optional.empty()),
            List.of("/usr/bin/app"),
            Optional.empty(),
            new ProbeOptions(
                "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5)),
            false,
            true,
            false,
            Optional.empty(),
            false,
            TraceRequest.DEFAULT_CONFIG_TIMEOUT,
            Optional.empty());
    TraceResult r = workflows().trace(t);
    assertTrue(r.verified());
    String id = r.slim().source().imageId();
    assertEquals(2, engine.loaded.size(), "the source for the probes, then the slim image");
    assertTrue(
        engine.removedImages.contains(id), "the loaded source is removed: " + engine.removedImages);
    assertTrue(
        engine.calls.stream().noneMatch(c -> c.startsWith("export")), engine.calls.toString());
  }
}
