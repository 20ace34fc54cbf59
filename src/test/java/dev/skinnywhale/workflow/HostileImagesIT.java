package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.cli.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input harness: each {@link HostileCases case} runs the real launcher on a crafted
 * image, container or argument, under a wall-time bound and a 256 MiB heap, and must give a
 * documented exit code (the one its class should give), at most one error line of bounded length
 * and no stack trace, stay within the memory bound, leave no temporary container, image or file of
 * its run id, leave the source image or container as it was (image id; a container's state and
 * {@code docker diff}), and leave the user's files as they were (only the outputs it names may
 * appear). The hostile images are built once per run, a few MB each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileImagesIT {
  static final int MAX_ERR_LINES = 200;
  static final int MAX_LINE = 16 * 1024;
  static final long MAX_RSS_KB = 768 * 1024;
  static final String HEAP = "-Xmx256m";
  static final String ID = UUID.randomUUID().toString().substring(0, 8);
  static final String CANARY = "CANARY-" + ID + "-host-file-read";

  /** Names the fixture container adds to its change set (chars are bytes). */
  static final List<String> CONTAINER_NAMES = containerNames();

  private final Map<String, String> images = new HashMap<>();
  private Path root;
  private Path canaryDir;
  private String container;

  @BeforeAll
  void buildHostileImages() throws Exception {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    root = Files.createTempDirectory("hostile-");
    canaryDir = Files.createTempDirectory("skinnywhale-canary-");
    Files.writeString(canaryDir.resolve("secret"), CANARY + "\n");
    Files.write(
        canaryDir.resolve("libcanary.so"),
        HostileImages.program(List.of("libcanary-needed-" + ID + ".so"), 1));
    long start = System.nanoTime();
    Map<String, HostileImages.Layer> layers = new TreeMap<>();
    layers.put("plain", HostileImages.plain());
    layers.put("ldconf-loop", HostileImages.ldConfLoop());
    layers.put("ldconf-includes", HostileImages.ldConfIncludes());
    layers.put("ldcache", HostileImages.ldSoCache());
    layers.put("needed-flood", HostileImages.neededFlood());
    layers.put("missing-10k", HostileImages.missingLibraries());
    layers.put("odd-names", HostileImages.oddNames());
    layers.put("symlinks", HostileImages.symlinks(canaryDir.toString()));
    for (var e : layers.entrySet()) {
      String tag = "skinnywhale-hostile/" + e.getKey() + ":" + ID;
      images.put(e.getKey(), tag);
      HostileImages.importImage(e.getValue(), tag, root);
    }
    container = "skinnywhale-hostile-names-" + ID;
    DockerCli.ok("run", "--name", container, HostileCases.BOOKWORM, "sh", "-ec", CONTAINER_SCRIPT);
    System.out.printf("HOSTILE fixtures built in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  void removeFixtures() {
    images.values().forEach(t -> DockerCli.run("rmi", "-f", t));
    if (container != null) {
      DockerCli.run("rm", "-f", container);
    }
    deleteTree(root);
    deleteTree(canaryDir);
  }

  static List<HostileCase> cases() {
    return HostileCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInput_documentedExitNoLeftoversSourceUnchanged(HostileCase hc) throws Exception {
    Path caseDir = Files.createDirectories(root.resolve(hc.name()));
    HostileCase.Context c =
        new HostileCase.Context(
            Files.createDirectories(caseDir.resolve("work")),
            Files.createDirectories(caseDir.resolve("tmp")),
            Map.copyOf(images),
            container,
            canaryDir);
    String runId = runId(c, hc.name());
    List<String> failures = new ArrayList<>();
    try {
      hc.setup().prepare(c);
      TreeMap<String, String> filesBefore = HostileRunner.snapshot(c.work());
      String sourceBefore = sourceState(hc, c);
      HostileRunner.Outcome o =
          HostileRunner.run(
              c.work(), env(c, hc.name(), hc.env()), hc.bound(), hc.signal(), hc.args().apply(c));
      if (o.timedOut()) {
        failures.add("did not end within " + hc.bound().toSeconds() + " s (killed)");
      } else {
        if (!documented().contains(o.exit())) {
          failures.add("exit " + o.exit() + " is not a documented exit code");
        }
        if (!hc.exits().contains(o.exit())) {
          failures.add("exit " + o.exit() + ", expected one of " + hc.exits());
        }
        failures.addAll(stderrProblems(o));
      }
      boolean heapBounded = !hc.env().containsKey("SKINNYWHALE_JAVA_OPTS");
      if (heapBounded && o.peakRssKb() > MAX_RSS_KB) {
        failures.add("peak RSS " + o.peakRssKb() / 1024 + " MB over " + MAX_RSS_KB / 1024 + " MB");
      }
      List<String> left = HostileRunner.leftovers(runId);
      if (!left.isEmpty()) {
        failures.add("left behind: " + left);
      }
      List<String> tmp = listing(c.tmp());
      if (!tmp.isEmpty()) {
        failures.add("temporary files left in TMPDIR: " + tmp);
      }
      failures.addAll(userFileChanges(filesBefore, HostileRunner.snapshot(c.work()), hc));
      String sourceAfter = sourceState(hc, c);
      if (!sourceAfter.equals(sourceBefore)) {
        failures.add("the source changed: " + sourceBefore + " -> " + sourceAfter);
      }
      if (!o.timedOut()) {
        for (HostileCase.Check check : hc.checks()) {
          try {
            check.check(c, o);
          } catch (AssertionError | Exception e) {
            failures.add(String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
          }
        }
      }
      System.out.printf(
          "HOSTILE %-22s %-18s exit=%d %6d ms rss=%d MB %s%n",
          hc.name(),
          hc.attack(),
          o.exit(),
          o.millis(),
          o.peakRssKb() / 1024,
          failures.isEmpty() ? "PASS" : "FAIL " + failures);
      System.out.println(clip(o.err()));
    } finally {
      HostileRunner.removeLeftovers(runId);
      HostileRunner.removeLeftovers(runId(c, hc.name() + "-2"));
      deleteTree(caseDir);
    }
    if (!failures.isEmpty()) {
      fail(hc + " (" + hc.attack().item + "; " + hc.input() + "): " + String.join("; ", failures));
    }
  }

  /** The launcher's environment: own run id and TMPDIR, a 256 MiB heap, then the case's own. */
  static Map<String, String> env(
      HostileCase.Context c, String name, Map<String, Optional<String>> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("SKINNYWHALE_RUN_ID", runId(c, name));
    env.put("TMPDIR", c.tmp().toString());
    env.put("JAVA_OPTS", HEAP);
    env.put("SKINNYWHALE_JAVA_OPTS", HEAP);
    overrides.forEach((k, v) -> v.ifPresentOrElse(x -> env.put(k, x), () -> env.put(k, "")));
    return env;
  }

  private static String runId(HostileCase.Context c, String name) {
    return DockerCli.RUN_ID + "-" + name;
  }

  private static List<String> stderrProblems(HostileRunner.Outcome o) {
    List<String> p = new ArrayList<>();
    List<String> lines = o.err().lines().toList();
    if (lines.size() > MAX_ERR_LINES) {
      p.add(lines.size() + " lines on stderr (at most " + MAX_ERR_LINES + ")");
    }
    lines.stream()
        .filter(l -> l.length() > MAX_LINE)
        .findFirst()
        .ifPresent(l -> p.add("a stderr line of " + l.length() + " chars"));
    if (o.err().contains("\tat ") || o.err().contains("Exception in thread")) {
      p.add("stack trace on stderr");
    }
    if (o.err().contains("OutOfMemoryError") && o.exit() != ExitCodes.INTERNAL) {
      p.add("OutOfMemoryError not exit 1");
    }
    long errors = lines.stream().filter(l -> l.startsWith("skinnywhale:")).count();
    if (o.exit() != 0 && errors != 1) {
      p.add(errors + " error lines (exactly one expected)");
    }
    return p;
  }

  private static List<String> userFileChanges(
      Map<String, String> before, Map<String, String> after, HostileCase hc) {
    List<String> p = new ArrayList<>();
    for (var e : before.entrySet()) {
      if (!e.getKey().isEmpty()
          && !hc.outputs().contains(e.getKey())
          && !e.getValue().equals(after.get(e.getKey()))) {
        p.add(
            "user file "
                + e.getKey()
                + " changed: "
                + e.getValue()
                + " -> "
                + after.get(e.getKey()));
      }
    }
    for (String name : after.keySet()) {
      if (!before.containsKey(name) && !hc.outputs().contains(name)) {
        p.add("unexpected file " + name);
      }
    }
    return p;
  }

  /** The source as the engine sees it: an image's id, a container's image, state and diff. */
  private static String sourceState(HostileCase hc, HostileCase.Context c) {
    StringBuilder s = new StringBuilder();
    hc.sourceImage()
        .ifPresent(
            key -> {
              String ref = c.images().getOrDefault(key, key);
              s.append(DockerCli.ok("image", "inspect", "-f", "{{.Id}}", ref).out().strip());
            });
    if (hc.sourceContainer().isPresent()) {
      s.append(DockerCli.ok("inspect", "-f", "{{.Image}} {{.State.Status}}", c.container()).out());
      // docker diff lists in no fixed order: compare the sorted lines
      s.append(DockerCli.ok("diff", c.container()).out().lines().sorted().toList().hashCode());
    }
    return s.toString();
  }

  /** The exit codes --help documents. */
  private static Set<Integer> documented() {
    return Arrays.stream(ExitCodes.HELP)
        .map(h -> Integer.parseInt(h.substring(0, h.indexOf(':'))))
        .collect(Collectors.toSet());
  }

  private static String clip(String err) {
    return err.lines()
        .limit(12)
        .map(l -> "    | " + (l.length() > 300 ? l.substring(0, 300) + "…" : l))
        .collect(Collectors.joining("\n"));
  }

  private static List<String> listing(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String LONG_PART = "0".repeat(250);

  private static final String CONTAINER_SCRIPT =
      "mkdir -p /srv/x && cd /srv/x"
          + " && touch -- \"$(printf 'new\\nline')\" \"$(printf 'caf\\351')\" \"$(printf '\\377')\""
          + " -rf --help"
          + " && d=/srv/x/long && i=0"
          + " && while [ $i -lt 15 ]; do d=\"$d/"
          + LONG_PART
          + "\"; i=$((i+1)); done"
          + " && mkdir -p \"$d\" && echo deep > \"$d/f\""
          + " && ln -s /run/nowhere/x /srv/dangling";

  private static List<String> containerNames() {
    String longPath = "/srv/x/long" + ("/" + LONG_PART).repeat(15) + "/f";
    return List.of(
        "/srv/x/new\nline",
        "/srv/x/caf\u00e9",
        "/srv/x/\u00ff",
        "/srv/x/-rf",
        "/srv/x/--help",
        longPath);
  }
}
