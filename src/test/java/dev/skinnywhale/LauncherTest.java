package dev.skinnywhale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script's JVM options: a default heap, JAVA_OPTS, then SKINNYWHALE_JAVA_OPTS. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("src/main/sh/skinnywhale").toAbsolutePath();

  @TempDir Path dir;
  private Path fakeJava;

  @BeforeEach
  void fakeJava() throws IOException {
    fakeJava = dir.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    fakeJava.toFile().setExecutable(true);
  }

  private List<String> run(Map<String, String> env, String... args) throws Exception {
    return run(LAUNCHER, env, args);
  }

  private List<String> run(Path launcher, Map<String, String> env, String... args)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("sh");
    pb.command().add(launcher.toString());
    pb.command().addAll(List.of(args));
    Map<String, String> e = pb.environment();
    e.remove("JAVA_OPTS");
    e.remove("SKINNYWHALE_JAVA_OPTS");
    e.remove("JAVA_TOOL_OPTIONS");
    e.put("JAVA", fakeJava.toString());
    e.put("TMPDIR", "/var/tmp");
    e.putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  private static String jar() {
    return LAUNCHER.getParent().resolve("skinnywhale.jar").toString();
  }

  @Test
  void noOptions_defaultHeap() throws Exception {
    assertEquals(
        List.of("-Xmx512m", "-Djava.io.tmpdir=/var/tmp", "-jar", jar(), "trace", "a b"),
        run(Map.of(), "trace", "a b"));
  }

  @Test
  void javaOptsThenSkinnywhaleJavaOpts_theLatterLast() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Dx=1 -Xss4m");
    env.put("SKINNYWHALE_JAVA_OPTS", "-Dx=2");
    assertEquals(
        List.of(
            "-Xmx512m",
            "-Djava.io.tmpdir=/var/tmp",
            "-Dx=1",
            "-Xss4m",
            "-Dx=2",
            "-jar",
            jar(),
            "x"),
        run(env, "x"));
  }

  @Test
  void aHeapLimitOfTheUser_noDefault() throws Exception {
    assertEquals(
        List.of("-Djava.io.tmpdir=/var/tmp", "-Xmx2g", "-jar", jar(), "x"),
        run(Map.of("JAVA_OPTS", "-Xmx2g"), "x"));
    assertEquals(
        List.of("-Djava.io.tmpdir=/var/tmp", "-XX:MaxRAMPercentage=50", "-jar", jar(), "x"),
        run(Map.of("SKINNYWHALE_JAVA_OPTS", "-XX:MaxRAMPercentage=50"), "x"));
    assertEquals(
        List.of("-Djava.io.tmpdir=/var/tmp", "-jar", jar(), "x"),
        run(Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"), "x"));
  }

  @Test
  void optionsWithGlobCharacters_notExpanded() throws Exception {
    Files.writeString(dir.resolve("match-me"), "");
    assertEquals(
        List.of("-Xmx512m", "-Djava.io.tmpdir=/var/tmp", "-Dp=" + dir + "/*", "-jar", jar(), "x"),
        run(Map.of("JAVA_OPTS", "-Dp=" + dir + "/*"), "x"));
  }

  /** A copy of the launcher in a directory of its own, with an archive made for {@code forJar}. */
  private Path launcherWithArchive(String forJar, String forJava) throws IOException {
    Path home = Files.createDirectory(dir.resolve("home with space")).toRealPath();
    Path launcher = Files.copy(LAUNCHER, home.resolve("skinnywhale"));
    Files.writeString(home.resolve("skinnywhale.jsa"), "");
    Files.writeString(
        home.resolve("skinnywhale.jsa.for"),
        (forJar == null ? home.resolve("skinnywhale.jar").toString() : forJar)
            + "\n"
            + (forJava == null ? fakeJava.toRealPath().toString() : forJava)
            + "\n");
    return launcher;
  }

  @Test
  void anArchiveMadeForThisJarAndJava_handedToTheJvm() throws Exception {
    Path launcher = launcherWithArchive(null, null);
    Path home = launcher.getParent();
    assertEquals(
        List.of(
            "-Xmx512m",
            "-Djava.io.tmpdir=/var/tmp",
            "-Xshare:auto",
            "-XX:SharedArchiveFile=" + home.resolve("skinnywhale.jsa"),
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off",
            "-Dx=1",
            "-jar",
            home.resolve("skinnywhale.jar").toString(),
            "x"),
        run(launcher, Map.of("JAVA_OPTS", "-Dx=1"), "x"));
  }

  @Test
  void anArchiveMadeForAnotherJarOrJava_leftOut() throws Exception {
    Path launcher = launcherWithArchive("/elsewhere/skinnywhale.jar", null);
    String jar = launcher.getParent().resolve("skinnywhale.jar").toString();
    List<String> plain = List.of("-Xmx512m", "-Djava.io.tmpdir=/var/tmp", "-jar", jar, "x");
    assertEquals(plain, run(launcher, Map.of(), "x"));
    Files.writeString(
        launcher.resolveSibling("skinnywhale.jsa.for"), jar + "\n/usr/lib/jvm/other/bin/java\n");
    assertEquals(plain, run(launcher, Map.of(), "x"));
    Files.writeString(launcher.resolveSibling("skinnywhale.jsa.for"), jar + "\n");
    assertEquals(plain, run(launcher, Map.of(), "x"));
    Files.delete(launcher.resolveSibling("skinnywhale.jsa.for"));
    assertEquals(plain, run(launcher, Map.of(), "x"));
  }

  @Test
  void aJarChangedSinceTheArchive_archiveLeftOut() throws Exception {
    Path launcher = launcherWithArchive(null, null);
    Path jar = launcher.resolveSibling("skinnywhale.jar");
    Files.writeString(jar, "rebuilt");
    Files.setLastModifiedTime(
        launcher.resolveSibling("skinnywhale.jsa"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertEquals(
        List.of("-Xmx512m", "-Djava.io.tmpdir=/var/tmp", "-jar", jar.toString(), "x"),
        run(launcher, Map.of(), "x"));
  }

  @Test
  void javaGivenThroughASymlink_theArchiveOfItsRealBinaryUsed() throws Exception {
    Path launcher = launcherWithArchive(null, null);
    Path link = Files.createSymbolicLink(dir.resolve("java-link"), fakeJava);
    List<String> args = run(launcher, Map.of("JAVA", link.toString()), "x");
    assertEquals("-Xshare:auto", args.get(2), args.toString());
  }
}
