package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skinnywhale.image.ImageArchiveReader;
import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.image.LayerReader;
import dev.skinnywhale.image.LayeredImage;
import dev.skinnywhale.image.ManifestJson;
import dev.skinnywhale.image.OciImages;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.HostileCase.Attack;
import dev.skinnywhale.workflow.HostileCase.Context;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The attacks, by class: what each feeds the real CLI and what it must give. */
final class HostileCases {
  static final String BOOKWORM = "local/debian:bookworm";
  private static final ManifestJson MANIFESTS = new ManifestJson(new ObjectMapper());
  private static final Duration SLIM = Duration.ofSeconds(60);
  private static final Duration TRACE = Duration.ofSeconds(120);
  private static final Duration USAGE = Duration.ofSeconds(20);

  private HostileCases() {}

  static List<HostileCase> all() {
    List<HostileCase> cases = new ArrayList<>();
    outputSafety(cases);
    signals(cases);
    budgets(cases);
    cases.add(
        HostileCase.of("run-file-dev-zero", Attack.OUT_OF_MEMORY, "trace --run-file /dev/zero")
            .args(c -> List.of("trace", "--run-file", "/dev/zero", "-o", c.at("out.tar"), BOOKWORM))
            .outputs("out.tar")
            .exits(2, 6)
            .sourceImage(BOOKWORM)
            .bound(USAGE)
            .build());
    reproducibility(cases);
    names(cases);
    cases.add(
        HostileCase.of(
                "nested-ptrace",
                Attack.NESTED_PTRACE,
                "--run \"perl: ptrace(PTRACE_TRACEME) must succeed\"")
            .args(
                c ->
                    List.of(
                        "trace",
                        "--keep",
                        "traced",
                        "--run",
                        "perl -e 'exit(syscall(101, 0, 0, 0, 0) == -1 ? 1 : 0)'",
                        "-o",
                        c.at("out.tar"),
                        BOOKWORM))
            .outputs("out.tar")
            .sourceImage(BOOKWORM)
            .bound(TRACE)
            .check((c, o) -> assertTrue(o.err().contains("LD_DEBUG"), "no word of LD_DEBUG"))
            .build());
    cases.add(
        HostileCase.of(
                "include-dangling-link",
                Attack.DANGLING_INCLUDE,
                "trace --keep traced --include /srv/dangling (-> /run/nowhere/x)")
            .args(
                c ->
                    List.of(
                        "trace",
                        "--keep",
                        "traced",
                        "--run",
                        "true",
                        "--include",
                        "/srv/dangling",
                        "-o",
                        c.at("out.tar"),
                        c.container()))
            .outputs("out.tar")
            .sourceContainer()
            .bound(TRACE)
            .check(
                (c, o) ->
                    inOutput(
                        c,
                        fs ->
                            assertEquals(
                                Optional.of("/run/nowhere/x"),
                                fs.get("/srv/dangling")
                                    .filter(FsNode.Symlink.class::isInstance)
                                    .map(n -> ((FsNode.Symlink) n).target()),
                                "the dangling link is not in the slim image")))
            .build());
    usage(cases);
    launcher(cases);
    confinement(cases);
    return cases;
  }

  private static void outputSafety(List<HostileCase> cases) {
    cases.add(
        slim("o-char-device", Attack.OUTPUT_SAFETY, "-o a character device (1,3)", "plain", "null")
            .outputs() // the target is the user's: it must stay what it was
            .setup(c -> sh(c, "mknod null c 1 3"))
            .exits(6)
            .build());
    cases.add(
        slim("o-symlink", Attack.OUTPUT_SAFETY, "-o a symlink to a user file", "plain", "link")
            .outputs() // the target is the user's: it must stay what it was
            .setup(c -> sh(c, "echo mine > victim && ln -s victim link"))
            .exits(6)
            .build());
    cases.add(
        slim("o-fifo", Attack.OUTPUT_SAFETY, "-o a FIFO", "plain", "fifo")
            .outputs() // the target is the user's: it must stay what it was
            .setup(c -> sh(c, "mkfifo fifo"))
            .exits(6)
            .build());
    cases.add(
        slim("o-directory", Attack.OUTPUT_SAFETY, "-o an empty directory", "plain", "dir")
            .outputs() // the target is the user's: it must stay what it was
            .setup(c -> sh(c, "mkdir dir"))
            .exits(6)
            .build());
    cases.add(
        HostileCase.of("save-profile-symlink", Attack.OUTPUT_SAFETY, "--save-profile a symlink")
            .setup(c -> sh(c, "echo mine > victim && ln -s victim p.json"))
            .args(
                c ->
                    List.of(
                        "trace",
                        "--run",
                        "true",
                        "--save-profile",
                        c.at("p.json"),
                        "-o",
                        c.at("out.tar"),
                        BOOKWORM))
            .outputs("out.tar")
            .exits(6)
            .sourceImage(BOOKWORM)
            .bound(TRACE)
            .build());
    cases.add(
        HostileCase.of("profile-merge-fifo", Attack.OUTPUT_SAFETY, "profile merge -o a FIFO")
            .setup(c -> sh(c, "mkfifo fifo"))
            .args(c -> List.of("profile", "merge", "jvm", "tzdata", "-o", c.at("fifo")))
            .exits(6)
            .bound(USAGE)
            .build());
  }

  private static void signals(List<HostileCase> cases) {
    for (String[] s : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
      cases.add(
          HostileCase.of(
                  "sig" + s[0].toLowerCase() + "-while-probing",
                  Attack.SIGNALS,
                  "SIG" + s[0] + " 1 s into --run \"sleep 20\"")
              .args(c -> List.of("trace", "--run", "sleep 20", "-o", c.at("out.tar"), BOOKWORM))
              .signal(new HostileRunner.Signal(s[0], "probing", Duration.ofSeconds(1)))
              .exits(Integer.parseInt(s[1]))
              .sourceImage(BOOKWORM)
              .bound(TRACE)
              .check((c, o) -> assertTrue(o.err().contains("interrupted"), "no 'interrupted'"))
              .build());
    }
  }

  private static void budgets(List<HostileCase> cases) {
    String[][] inputs = {
      {"ldconf-loop", "ld.so.conf include glob through 8 symlinks to its own directory, 9 levels"},
      {"ldconf-includes", "5,000 ld.so.conf.d files, each 'include *.conf'"},
      {"ldcache", "1.2 MB ld.so.cache: 40,000 entries -> one 250 KB string"},
      {"needed-flood", "one ELF with 1,000,000 DT_NEEDED entries (16 MB)"},
    };
    for (String[] in : inputs) {
      cases.add(slim(in[0], Attack.BUDGETS, in[1], in[0], "out.tar").exits(0, 5).build());
    }
  }

  private static void reproducibility(List<HostileCase> cases) {
    cases.add(
        slim("slim-twice", Attack.REPRODUCIBILITY, "the same image slimmed twice", "plain", "a.tar")
            .outputs("a.tar", "b.tar")
            .check(
                (c, o) -> {
                  Thread.sleep(1_500); // another second for anything stamped "now"
                  HostileRunner.Outcome again =
                      HostileRunner.run(
                          c.work(),
                          HostileImagesIT.env(c, "slim-twice-2", java.util.Map.of()),
                          SLIM,
                          Optional.empty(),
                          List.of("-o", c.at("b.tar"), c.image("plain")));
                  assertEquals(0, again.exit(), again.err());
                  assertEquals(
                      -1L,
                      Files.mismatch(c.work().resolve("a.tar"), c.work().resolve("b.tar")),
                      "the two archives differ");
                })
            .build());
  }

  private static void names(List<HostileCase> cases) {
    cases.add(
        slim(
                "image-odd-names",
                Attack.CONFINEMENT,
                "names with \\n, \\t, 0xE9, 0xFF 0xFE," + " -rf, --help, a 4,000-byte path",
                "odd-names",
                "out.tar")
            .check(
                (c, o) ->
                    inOutput(
                        c,
                        fs -> {
                          for (String n : HostileImages.ODD_NAMES) {
                            assertTrue(fs.get(n).isPresent(), "missing: " + n);
                          }
                          assertTrue(fs.get(HostileImages.LONG_PATH).isPresent(), "long path");
                        }))
            .build());
    cases.add(
        HostileCase.of(
                "container-odd-names",
                Attack.NAMES_ARE_BYTES,
                "a container's change set with \\n, 0xE9, 0xFF, -rf, --help, a 3,900-byte path")
            .args(c -> List.of("-o", c.at("out.tar"), c.container()))
            .outputs("out.tar")
            .sourceContainer()
            .bound(SLIM)
            .check(
                (c, o) ->
                    inOutput(
                        c,
                        fs -> {
                          for (String n : HostileImagesIT.CONTAINER_NAMES) {
                            assertTrue(fs.get(n).isPresent(), "missing: " + n);
                          }
                        }))
            .build());
  }

  private static void usage(List<HostileCase> cases) {
    String[][] refs = {
      {"ref-blank", "bad ref!"},
      {"ref-double-slash", "a//b:1"},
      {"ref-bad-digest", "img@sha256:xyz"},
      {"ref-two-tags", "x:y:z"}
    };
    for (String[] r : refs) {
      cases.add(
          HostileCase.of(r[0], Attack.USAGE_AND_WARNINGS, "reference '" + r[1] + "'")
              .args(c -> List.of(r[1]))
              .exits(2)
              .bound(USAGE)
              .check(HostileCases::noWork)
              .build());
    }
    for (String[] timeout : new String[][] {{"huge", "99999999999999"}, {"negative", "-3"}}) {
      String t = timeout[1];
      cases.add(
          HostileCase.of("timeout-" + timeout[0], Attack.USAGE_AND_WARNINGS, "--timeout " + t)
              .args(
                  c ->
                      List.of(
                          "trace",
                          "--timeout",
                          t,
                          "--run",
                          "true",
                          "-o",
                          c.at("out.tar"),
                          BOOKWORM))
              .outputs("out.tar")
              .exits(2)
              .sourceImage(BOOKWORM)
              .bound(USAGE)
              .check(HostileCases::noWork)
              .build());
    }
    cases.add(
        HostileCase.of("run-missing-program", Attack.USAGE_AND_WARNINGS, "--run /no/such/program")
            .args(
                c -> List.of("trace", "--run", "/no/such/program", "-o", c.at("out.tar"), BOOKWORM))
            .outputs("out.tar")
            .exits(9)
            .sourceImage(BOOKWORM)
            .bound(TRACE)
            .check((c, o) -> assertTrue(o.err().contains("not found in the image"), "not named"))
            .build());
    cases.add(
        HostileCase.of(
                "probe-output-huge", Attack.USAGE_AND_WARNINGS, "20 MB of output, no newline")
            .args(
                c ->
                    List.of(
                        "trace",
                        "--run",
                        "head -c 20000000 /dev/zero | tr '\\000' a; exit 3",
                        "-o",
                        c.at("out.tar"),
                        BOOKWORM))
            .outputs("out.tar")
            .exits(9)
            .sourceImage(BOOKWORM)
            .bound(TRACE)
            .build());
    cases.add(
        slim(
                "missing-10k",
                Attack.USAGE_AND_WARNINGS,
                "1,000 ELF files x 10 missing libraries",
                "missing-10k",
                "out.tar")
            .build());
  }

  private static void launcher(List<HostileCase> cases) {
    cases.add(
        HostileCase.of("java-opts", Attack.LAUNCHER_HEAP, "JAVA_OPTS=-Xmx96m --version")
            .env("SKINNYWHALE_JAVA_OPTS", Optional.empty())
            .env("JAVA_OPTS", Optional.of("-Xmx96m"))
            .env("JAVA_TOOL_OPTIONS", Optional.of("-XX:+PrintFlagsFinal"))
            .args(c -> List.of("--version"))
            .bound(USAGE)
            // the JVM rounds the limit up to its heap alignment (seen: 77m became 78 MiB)
            .check(
                (c, o) -> {
                  long heap = maxHeap(o.out());
                  assertTrue(
                      heap >= 96L << 20 && heap < 104L << 20, "MaxHeapSize of -Xmx96m: " + heap);
                })
            .build());
    cases.add(
        HostileCase.of("default-heap", Attack.LAUNCHER_HEAP, "no JAVA_OPTS: --version")
            .env("SKINNYWHALE_JAVA_OPTS", Optional.empty())
            .env("JAVA_OPTS", Optional.empty())
            .env("JAVA_TOOL_OPTIONS", Optional.of("-XX:+PrintFlagsFinal"))
            .args(c -> List.of("--version"))
            .bound(USAGE)
            .check(
                (c, o) ->
                    assertTrue(maxHeap(o.out()) <= 1L << 30, "default heap " + maxHeap(o.out())))
            .build());
  }

  private static void confinement(List<HostileCase> cases) {
    cases.add(
        slim(
                "symlink-escape",
                Attack.CONFINEMENT,
                "links to ../../../etc/shadow, to host paths"
                    + " (relative and absolute), loops, RUNPATH through them",
                "symlinks",
                "out.tar")
            .check(
                (c, o) -> {
                  assertFalse(o.err().contains("libcanary-needed"), "read the host's canary");
                  inOutput(c, fs -> noCanary(c, fs));
                })
            .build());
  }

  private static HostileCase.Builder slim(
      String name, Attack attack, String input, String image, String output) {
    return HostileCase.of(name, attack, input)
        .args(c -> List.of("-o", c.at(output), c.image(image)))
        .outputs(output)
        .sourceImage(image)
        .bound(SLIM);
  }

  private static void noWork(Context c, HostileRunner.Outcome o) {
    assertFalse(o.err().contains("==>"), "work was done before the usage error");
  }

  private static long maxHeap(String flags) {
    return flags
        .lines()
        .filter(l -> l.matches("\\s*size_t MaxHeapSize\\s+=.*"))
        .map(l -> Long.parseLong(l.replaceAll(".*=\\s*(\\d+).*", "$1")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no MaxHeapSize in the JVM's flags"));
  }

  /** No file of the slim image holds the canary, and no path names its host directory. */
  private static void noCanary(Context c, RootFs fs) {
    byte[] marker = HostileImagesIT.CANARY.getBytes(StandardCharsets.US_ASCII);
    fs.nodes()
        .forEach(
            n -> {
              assertFalse(n.path().startsWith(c.canaryDir().toString()), "host path: " + n.path());
              if (n instanceof FsNode.RegularFile f) {
                try (InputStream in = f.content().open()) {
                  String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                  assertFalse(
                      text.contains(new String(marker, StandardCharsets.ISO_8859_1)),
                      "host file content in " + n.path());
                } catch (java.io.IOException e) {
                  fail(e);
                }
              }
            });
    assertEquals(
        Optional.of(c.canaryDir() + "/secret"),
        fs.get("/etc/canary-abs").map(n -> ((FsNode.Symlink) n).target()),
        "the absolute link is not kept as it was");
  }

  /** Opens the slim archive the case wrote to out.tar (or a.tar) with the project's own reader. */
  static void inOutput(Context c, Consumer<RootFs> check) throws Exception {
    Path file = c.work().resolve("out.tar");
    assertTrue(Files.isRegularFile(file), "no slim archive written");
    Path scratch = Files.createTempDirectory(c.tmp().getParent(), "read");
    try (LayeredImage image =
            new ImageArchiveReader(MANIFESTS, new OciImages(MANIFESTS, OciImages.hostPlatform()))
                .read(
                    ImageReference.parseInput("docker-archive:" + file),
                    file,
                    new LayerReader(scratch, LayerReader.DEFAULT_MAX_BYTES));
        RootFs fs = image.filesystem()) {
      check.accept(fs);
    } finally {
      HostileImagesIT.deleteTree(scratch);
    }
  }

  private static void sh(Context c, String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-ec", script).directory(c.work().toFile()).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail("setup '" + script + "' failed: " + err);
    }
  }
}
