package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Real images built the seed's way — a bookworm base, {@code apt-get install} of a runtime — each
 * with the smoke command a user types first and the real work its slim image must then do.
 * Containers are made once and reused (labelled by name, prefix {@code skinnywhale-it9}).
 */
final class PackageFixtures {
  private static final String APT =
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ";

  /** One runtime: its fixture container, what a user types first, and real work. */
  record Case(
      String name, String container, String install, String smoke, String work, String expect) {}

  static final Case IMAGEMAGICK =
      new Case(
          "imagemagick",
          "skinnywhale-it9-imagemagick",
          APT + "--no-install-recommends imagemagick >/dev/null",
          "convert -version",
          "convert logo: /tmp/a.png && convert logo: /tmp/a.jpg && identify /tmp/a.png /tmp/a.jpg",
          "/tmp/a.jpg JPEG 640x480");

  static final Case PYTHON =
      new Case(
          "python",
          "skinnywhale-it9-python",
          APT + "python3 python3-yaml >/dev/null",
          "python3 -c 'import json'",
          "python3 -c '"
              + String.join(
                  "\n",
                  "import yaml, sqlite3, ssl, zoneinfo, datetime, ctypes.util, os, pwd",
                  "doc = yaml.load(\"a: [1, {b: c}]\", Loader=yaml.CSafeLoader)",
                  "assert doc == {\"a\": [1, {\"b\": \"c\"}]}, doc",
                  "db = sqlite3.connect(\":memory:\")",
                  "assert db.execute(\"select sqlite_version()\").fetchone()[0]",
                  "ctx = ssl.create_default_context()",
                  "assert len(ctx.get_ca_certs()) > 10, \"no CA certificates\"",
                  "tz = zoneinfo.ZoneInfo(\"Europe/Paris\")",
                  "assert datetime.datetime(2024, 7, 1, tzinfo=tz).utcoffset().seconds == 7200",
                  "assert ctypes.util.find_library(\"c\"), \"find_library\"",
                  "assert pwd.getpwuid(os.getuid()).pw_name == \"root\"",
                  "print(\"python work ok\")")
              + "'",
          "python work ok");

  static final Case PERL =
      new Case(
          "perl",
          "skinnywhale-it9-perl",
          APT + "perl >/dev/null",
          "perl -e 'print 1'",
          "perl -MDigest::MD5=md5_hex -MStorable=freeze,thaw -MPOSIX=floor -MJSON::PP -e"
              + " 'print md5_hex(\"a\"), \" \", thaw(freeze({a => 7}))->{a}, floor(2.5),"
              + " JSON::PP->new->encode([1]), \"\\n\"'",
          "0cc175b9c0f1b6a831c399e269772661 72[1]");

  static final Case GIT =
      new Case(
          "git",
          "skinnywhale-it9-git",
          APT + "git >/dev/null",
          "git --version",
          String.join(
              " && ",
              "cd /tmp && git init -q repo && cd repo",
              "[ -f .git/hooks/pre-commit.sample ]",
              "echo hi > a && git add a && git -c user.email=t@example.com commit -qm first",
              "[ \"$(git log --format=%an)\" = root ]",
              "git init -q /tmp/sub && cd /tmp/sub && echo s > s && git add s",
              "git -c user.email=t@example.com commit -qm s && cd /tmp/repo",
              "git -c protocol.file.allow=always submodule add -q /tmp/sub sub",
              "git -c user.email=t@example.com commit -qm sub",
              "git submodule status",
              "echo git work ok"),
          "git work ok");

  /** The user's app: a jar and its data under /opt/app, run by the image's CMD. */
  static final String APP_IMAGE = "skinnywhale-it9/app:test";

  static final Case APP =
      new Case(
          "app",
          APP_IMAGE,
          "",
          "java -version",
          "java -jar /opt/app/app.jar",
          "hello from the app");

  static final List<Case> CASES = List.of(IMAGEMAGICK, PYTHON, PERL, GIT, APP);

  static final String APP_SOURCE =
      """
      import java.nio.file.*;

      public class App {
        public static void main(String[] args) throws Exception {
          String greeting = Files.readString(Path.of("/opt/app/greeting.txt")).strip();
          System.out.println(greeting + " from the app");
        }
      }
      """;

  /** A static busybox, copied into a slim image's filesystem to look at it from inside. */
  static final String BUSYBOX_IMAGE = "skinnywhale-it9/busybox:bookworm";

  private PackageFixtures() {}

  /** The source of a case: its container (made once), or for the app its image. */
  static String source(Case c, Path dir) throws IOException {
    if (c == APP) {
      return appImage(dir);
    }
    return DockerCli.requireContainer(c.container(), "bookworm", c.install());
  }

  /**
   * bookworm with the JRE (the shared fixture container, committed), and the user's app under
   * /opt/app with its CMD; an image, so the user's files are those no package lists.
   */
  static String appImage(Path dir) throws IOException {
    if (DockerCli.imageExists(APP_IMAGE)) {
      return APP_IMAGE;
    }
    String jre = JavaFixtures.bookwormJre();
    Path work = Files.createDirectories(dir.resolve("app"));
    Path cls = AppFixtures.compile(work, "App", APP_SOURCE);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "App");
    Path jar = work.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.putNextEntry(new JarEntry("App.class"));
      j.write(Files.readAllBytes(cls));
      j.closeEntry();
    }
    Path greeting = Files.writeString(work.resolve("greeting.txt"), "hello\n");
    String base = "skinnywhale-it9/jre-base:test";
    DockerCli.ok("commit", jre, base);
    String id = DockerCli.ok("create", base, "true").out().strip();
    try {
      DockerCli.ok("cp", work.toString() + "/.", id + ":/opt/app");
      DockerCli.ok(
          "commit", "--change", "CMD [\"java\",\"-jar\",\"/opt/app/app.jar\"]", id, APP_IMAGE);
    } finally {
      DockerCli.run("rm", "-f", id);
      DockerCli.run("rmi", base);
    }
    for (Path p : List.of(jar, cls, greeting)) {
      Files.deleteIfExists(p);
    }
    return APP_IMAGE;
  }

  /** The real work of {@code c} in {@code image}: the CMD for the app, else through sh. */
  static DockerCli.Result work(Case c, String image) {
    if (c == APP) {
      return DockerCli.run("run", "--rm", "--network", "none", image);
    }
    return DockerCli.run(
        "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c", c.work());
  }

  static boolean worked(Case c, DockerCli.Result r) {
    return r.exitCode() == 0 && r.all().contains(c.expect());
  }

  /** An image with a static busybox (made once). */
  static String busybox() {
    if (!DockerCli.imageExists(BUSYBOX_IMAGE)) {
      String c =
          DockerCli.requireContainer(
              "skinnywhale-it9-busybox", "bookworm", APT + "busybox-static >/dev/null");
      DockerCli.ok("commit", c, BUSYBOX_IMAGE);
    }
    return BUSYBOX_IMAGE;
  }

  /**
   * The slim image's dpkg database seen by the real dpkg of a second container, which has the slim
   * image's filesystem unpacked below /slim: every path {@code dpkg-query -L} lists for every
   * package must be there (looked at from inside, through a static busybox, so that absolute
   * symlinks resolve as in the image), every md5sums line must match, and {@code dpkg -S} must name
   * the owner of {@code ownedFile}. Returns the script's output; its last line is "consistent".
   */
  static DockerCli.Result dpkgCheck(String image, String ownedFile) {
    String script =
        String.join(
            "\n",
            "set -e",
            "mkdir /slim && tar -x -C /slim && mkdir /slim/.swbb && cp /bin/busybox /slim/.swbb/",
            "A=/slim/var/lib/dpkg",
            "dpkg-query --admindir=$A -W -f '${Package}:${Architecture}\\n' > /tmp/pkgs",
            "echo \"packages: $(wc -l < /tmp/pkgs)\"",
            "for p in $(cat /tmp/pkgs); do dpkg-query --admindir=$A -L $p; done"
                + " | grep '^/' | grep -v '^/\\.$' | sort -u > /slim/.listed",
            "echo \"paths: $(wc -l < /slim/.listed)\"",
            "chroot /slim /.swbb/busybox sh -c 'bad=0; while read f; do [ -e \"$f\" ] || [ -L"
                + " \"$f\" ] || { echo \"MISSING $f\"; bad=1; }; done < /.listed; for m in"
                + " /var/lib/dpkg/info/*.md5sums; do (cd / && /.swbb/busybox md5sum -c -s \"$m\")"
                + " || { echo \"BAD SUM $m\"; bad=1; }; done; exit $bad'",
            "echo \"owner: $(dpkg-query --admindir=$A -S " + ownedFile + ")\"",
            "echo consistent");
    String bb = busybox();
    String id = DockerCli.ok("create", image, "/none").out().strip();
    try {
      Path file = Files.createTempFile("dpkg-check", ".sh");
      try {
        Files.writeString(file, script);
        String cmd =
            "docker export "
                + id
                + " | docker run -i --rm --network none -v "
                + file
                + ":/check.sh:ro "
                + bb
                + " sh /check.sh";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("the dpkg check timed out");
        }
        System.out.println("dpkg check of " + image + ":\n" + out);
        return new DockerCli.Result(p.exitValue(), out, "");
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      DockerCli.run("rm", "-f", id);
    }
  }

  static DockerCli.Result assertConsistent(String image, String ownedFile) {
    DockerCli.Result r = dpkgCheck(image, ownedFile);
    assertEquals(0, r.exitCode(), r.all());
    assertEquals("consistent", r.out().strip().lines().reduce((a, b) -> b).orElse(""), r.all());
    return r;
  }
}
