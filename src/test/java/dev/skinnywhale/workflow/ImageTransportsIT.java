package dev.skinnywhale.workflow;

import static dev.skinnywhale.image.TestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.image.ImageArchiveReader;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.ManifestJson;
import dev.skinnywhale.image.OciImages;
import dev.skinnywhale.image.TestImages;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.workflow.steps.SourceReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images in and out without a daemon: flattening compared with {@code docker export}, a daemonless
 * {@code build} from an oci-archive to every output transport, each read by skopeo, the default
 * archive loaded by docker and podman, and the time of reading an image from an OCI archive against
 * exporting it from the engine.
 */
class ImageTransportsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ManifestJson MANIFESTS = new ManifestJson(JSON);
  static final Map<String, String> NO_ENGINE =
      Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");

  /** What the engine adds to every container (mount points), absent from the image itself. */
  static final Set<String> ENGINE_DIRS = Set.of("/dev", "/proc", "/sys", "/etc", "/");

  @TempDir Path tmp;

  @BeforeAll
  static void tools() {
    DockerCli.requireDocker();
    Tools.require("skopeo");
    DockerCli.requireBaseImage("bookworm");
  }

  /**
   * Generated layers (hard links across layers are in LayerFlattenerTest: the engine's own layer
   * store refuses to load them; the JRE image below has hard links within its layers).
   */
  @Test
  void flatten_generatedLayers_sameAsDockerExport() throws Exception {
    byte[] one =
        layer()
            .dir("/etc")
            .file("/etc/keep", "k")
            .file("/etc/gone", "g")
            .dir("/opt")
            .file("/opt/old", "o")
            .dir("/opt/sub")
            .file("/opt/sub/deep", "d")
            .dir("/swap")
            .file("/swap/child", "c")
            .file("/back", "1")
            .dir("/bin")
            .file("/bin/same", "s")
            .bytes();
    byte[] two =
        layer()
            .file("/etc/keep", "k2")
            .whiteout("/etc/gone")
            .dir("/opt")
            .opaque("/opt")
            .file("/opt/new", "n")
            .file("/swap", "now a file")
            .dir("/back")
            .file("/back/inside", "i")
            .dir("/bin")
            .file("/bin/tool", "v1")
            .hardlink("/bin/tool-link", "/bin/tool")
            .bytes();
    byte[] three =
        layer().whiteout("/back").file("/back", "file again").file("/bin/tool", "v2").bytes();
    String tag = "skinnywhale-it13/layers:1";
    Path archive =
        TestImages.dockerArchive(tmp.resolve("layers.tar"), List.of(one, two, three), tag);
    DockerCli.ok("load", "-i", archive.toString());
    try {
      TreeMap<String, String> ours =
          ours(ImageReference.parseInput("docker-archive:" + archive), archive);
      TreeMap<String, String> docker = exported(tag);
      assertSame(docker, ours);
      assertTrue(ours.get("/bin/tool").startsWith("file " + sha("v2")), ours.toString());
      assertTrue(ours.get("/bin/tool-link").startsWith("file " + sha("v1")), ours.toString());
    } finally {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  @Test
  void build_daemonless_everyOutputReadBySkopeo_defaultArchiveLoadedByDockerAndPodman()
      throws Exception {
    Tools.require("podman");
    Path in = ociArchiveOf("local/debian:bookworm", "bookworm");
    String tag = "skinnywhale-it13/slim:1";
    Map<String, String> outputs = new TreeMap<>();
    outputs.put(tmp.resolve("a.tar").toString(), "docker-archive:");
    outputs.put("oci-archive:" + tmp.resolve("b.tar"), "oci-archive:");
    outputs.put("oci:" + tmp.resolve("c"), "oci:");
    String digest = null;
    for (Map.Entry<String, String> o : outputs.entrySet()) {
      String d = build(in, o.getKey(), tag, "gzip");
      digest = digest == null ? d : digest;
      assertEquals(digest, d, "the same image, the same manifest digest: " + o.getKey());
    }
    assertEquals(digest, build(in, "oci:" + tmp.resolve("c"), tag, "gzip"), "stable across runs");
    String zstd = build(in, "oci:" + tmp.resolve("z"), tag, "zstd");
    assertTrue(!zstd.equals(digest));
    for (String ref :
        List.of(
            "docker-archive:" + tmp.resolve("a.tar"),
            "oci-archive:" + tmp.resolve("a.tar"),
            "oci-archive:" + tmp.resolve("b.tar"),
            "oci:" + tmp.resolve("c"),
            "oci:" + tmp.resolve("z"))) {
      Tools.ok("skopeo", "inspect", ref);
      Path copy = Files.createTempDirectory(tmp, "copy");
      Tools.ok("skopeo", "copy", "-q", ref, "dir:" + copy);
    }
    try {
      assertTrue(DockerCli.ok("load", "-i", tmp.resolve("a.tar").toString()).out().contains(tag));
      assertEquals(
          "ok",
          DockerCli.ok("run", "--rm", "--network", "none", tag, "bash", "-c", "echo ok")
              .out()
              .strip());
      Tools.ok("podman", "load", "-i", tmp.resolve("a.tar").toString());
      assertEquals(
          "ok",
          Tools.ok(
                  "podman",
                  "run",
                  "--rm",
                  "--network",
                  "none",
                  "localhost/" + tag,
                  "bash",
                  "-c",
                  "echo ok")
              .out()
              .strip());
    } finally {
      DockerCli.run("rmi", "-f", tag);
      Tools.run(120, Map.of(), "podman", "rmi", "-f", "localhost/" + tag);
    }
  }

  private String build(Path in, String output, String tag, String compression) throws Exception {
    Skinnywhale.Result r =
        Skinnywhale.run(
            NO_ENGINE,
            "build",
            "--profile",
            "glibc-nss",
            "--compression",
            compression,
            "-t",
            tag,
            "--json",
            "oci-archive:" + in,
            "-o",
            output);
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out()).path("digest").asText();
  }

  /**
   * The time of reading an image from an OCI archive (gzip layers, as skopeo writes it) and from a
   * docker-archive (uncompressed layers, read in place), against exporting it from the engine. Both
   * give the same files.
   */
  @Test
  void readTime_ociArchive_againstDockerExport() throws Exception {
    String image = Tools.jreImage();
    Path oci = ociArchiveOf(image, "jre");
    Path docker = tmp.resolve("jre-docker.tar");
    DockerCli.ok("save", "-o", docker.toString(), image);
    long t0 = System.nanoTime();
    TreeMap<String, String> exported = exported(image);
    long t1 = System.nanoTime();
    TreeMap<String, String> fromOci = ours(ImageReference.parseInput("oci-archive:" + oci), oci);
    long t2 = System.nanoTime();
    TreeMap<String, String> fromDocker =
        ours(ImageReference.parseInput("docker-archive:" + docker), docker);
    long t3 = System.nanoTime();
    System.out.printf(
        "reading %s (%d paths): docker export %d ms, oci-archive (gzip) %d ms, docker-archive %d ms"
            + " (each with a sha256 of every file's content)%n",
        image,
        exported.size(),
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000);
    assertSame(exported, fromOci);
    assertSame(exported, fromDocker);
  }

  /** The same map, or the first differences. */
  static void assertSame(TreeMap<String, String> expected, TreeMap<String, String> actual) {
    java.util.List<String> diff = new java.util.ArrayList<>();
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
        diff.add(k + ": docker " + expected.get(k) + ", ours " + actual.get(k));
      }
    }
    assertEquals(
        List.of(), diff.subList(0, Math.min(20, diff.size())), diff.size() + " differences");
  }

  /** `docker save IMAGE`, then skopeo to an oci-archive (gzip layers). */
  private Path ociArchiveOf(String image, String name) throws Exception {
    Path saved = tmp.resolve(name + "-saved.tar");
    DockerCli.ok("save", "-o", saved.toString(), image);
    Path oci = tmp.resolve(name + "-oci.tar");
    Tools.ok("skopeo", "copy", "-q", "docker-archive:" + saved, "oci-archive:" + oci);
    Files.delete(saved);
    return oci;
  }

  private TreeMap<String, String> ours(ImageReference ref, Path file) throws Exception {
    Path work = Files.createTempDirectory(tmp, "work");
    try (LayeredImage image =
            new ImageArchiveReader(MANIFESTS, new OciImages(MANIFESTS, OciImages.hostPlatform()))
                .read(ref, file, new LayerReader(work, LayerReader.DEFAULT_MAX_BYTES));
        RootFs fs = image.filesystem()) {
      return summary(fs);
    }
  }

  /** The image's filesystem as `docker export` of a created container gives it. */
  private TreeMap<String, String> exported(String image) throws Exception {
    String id = DockerCli.ok("create", image, "/none").out().strip();
    try {
      Process p = new ProcessBuilder("docker", "export", id).start();
      try (InputStream in = p.getInputStream();
          RootFs fs = new TarRootFsReader().read(in, tmp)) {
        assertEquals(0, p.waitFor());
        return summary(fs);
      }
    } finally {
      DockerCli.run("rm", "-f", id);
    }
  }

  /** Path → type, mode, owner and content digest (hard links as the file they are). */
  static TreeMap<String, String> summary(RootFs fs) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    for (FsNode n : fs.nodes().toList()) {
      String p = n.path();
      if (SourceReader.ENGINE_PLACEHOLDERS.contains(p)
          || ENGINE_DIRS.contains(p)
          || p.startsWith("/dev/")
          || p.startsWith("/proc/")
          || p.startsWith("/sys/")) {
        continue;
      }
      String meta = String.format(" %o %d:%d", n.meta().mode(), n.meta().uid(), n.meta().gid());
      var file = fs.regularFile(n);
      if (file.isPresent()) {
        try (InputStream in = file.get().content().open()) {
          FsNode.RegularFile f = file.get();
          out.put(
              p,
              "file "
                  + sha(in.readAllBytes())
                  + String.format(" %o %d:%d", f.meta().mode(), f.meta().uid(), f.meta().gid()));
        }
      } else if (n instanceof FsNode.Symlink s) {
        out.put(p, "symlink " + s.target());
      } else {
        out.put(p, n.getClass().getSimpleName() + meta);
      }
    }
    return out;
  }

  static String sha(String s) {
    return sha(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(b))
          .substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
