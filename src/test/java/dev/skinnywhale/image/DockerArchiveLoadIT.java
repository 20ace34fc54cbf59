package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.LayerBuilder;
import dev.skinnywhale.assemble.PathGlob;
import dev.skinnywhale.assemble.PlanExpander;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real engine loads what {@link DockerArchiveWriter} writes: the bookworm filesystem (exported
 * from a created container, read by {@link TarRootFsReader}, kept whole but /usr/share/doc,
 * rewritten by the reproducible writer) runs a shell, and the config's Env, Cmd and Labels survive.
 */
class DockerArchiveLoadIT {
  private static final String BASE = "local/debian:bookworm";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void testDockerLoad_acceptsArchive_andImageRuns() throws Exception {
    requireDocker();
    String tag = "skinnywhale-it/archive-load:" + ProcessHandle.current().pid();
    String container = null;
    try {
      container = docker("create", BASE, "true").trim();
      RootFs fs;
      Process export =
          new ProcessBuilder("docker", "export", container)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (InputStream in = export.getInputStream()) {
        fs = new TarRootFsReader().read(in, tmp);
      }
      assertEquals(0, export.waitFor(), "docker export failed");
      Layer layer;
      try (RootFs f = fs) {
        KeepPlan plan =
            KeepPlan.builder()
                .addRecursive("/", Reason.INCLUDE)
                .exclude(new PathGlob("/usr/share/doc"))
                .build();
        AssemblyPlan assembly = new PlanExpander().expand(f, plan);
        assertTrue(
            assembly.nodes().stream().noneMatch(n -> n.path().startsWith("/usr/share/doc/")));
        layer = new LayerBuilder().write(assembly, tmp);
      }
      try (Layer l = layer) {
        ObjectNode source =
            (ObjectNode)
                JSON.readTree(
                    """
                    {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                     "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                        "SKINNY=yes"],
                                "Cmd": ["sh", "-c", "echo from-cmd"],
                                "Labels": {"dev.skinnywhale.test": "archive-load"},
                                "WorkingDir": "/tmp"}}
                    """);
        ObjectNode config = ImageConfigs.forSlimImage(source, l.diffId(), "it");
        Path archive = tmp.resolve("image.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
          new DockerArchiveWriter(JSON).write(out, config, l, List.of(tag));
        }
        String loaded = docker("load", "-i", archive.toString());
        assertTrue(loaded.contains(tag), loaded);
      }
      assertEquals(
          "ok", docker("run", "--rm", "--network", "none", tag, "sh", "-c", "echo ok").trim());
      assertEquals("from-cmd", docker("run", "--rm", "--network", "none", tag).trim());
      JsonNode inspect = JSON.readTree(docker("image", "inspect", tag)).get(0);
      JsonNode c = inspect.get("Config");
      assertTrue(c.get("Env").toString().contains("SKINNY=yes"), c.toString());
      assertEquals(JSON.readTree("[\"sh\",\"-c\",\"echo from-cmd\"]"), c.get("Cmd"));
      assertEquals("archive-load", c.get("Labels").get("dev.skinnywhale.test").asText());
      assertEquals("/tmp", c.get("WorkingDir").asText());
      assertEquals("2024-01-01T00:00:00Z", inspect.get("Created").asText());
    } finally {
      quietly("rmi", "-f", tag);
      if (container != null) {
        quietly("rm", "-f", container);
      }
    }
    try (var left = Files.list(tmp)) {
      List<Path> files = new ArrayList<>(left.toList());
      files.removeIf(p -> p.getFileName().toString().equals("image.tar"));
      assertEquals(List.of(), files, "spool and layer files removed");
    }
  }

  private static void requireDocker() {
    boolean ok;
    try {
      Process p = new ProcessBuilder("docker", "image", "inspect", BASE).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok && "true".equals(System.getenv("CI"))) {
      fail("CI=true but docker or " + BASE + " is unavailable");
    }
    Assumptions.assumeTrue(ok, "docker or " + BASE + " unavailable");
  }

  /** Stdout of a docker command; stderr (the engine's warnings) only in the failure message. */
  private String docker(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(tmp, "docker-", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " failed: " + out + Files.readString(err));
      }
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static void quietly(String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("docker"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      p.waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      // best effort
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
