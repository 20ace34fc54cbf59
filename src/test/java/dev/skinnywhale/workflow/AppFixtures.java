package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/** Java programs compiled at test time and put into images built from the JRE fixture. */
final class AppFixtures {
  /** An app whose self-test reads a zip, a time zone and its own version; the version varies. */
  static final String APP =
      """
      import java.io.*;
      import java.time.*;
      import java.util.zip.*;

      public class App {
        public static void main(String[] args) throws Exception {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.write("hello".getBytes());
          }
          try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.getNextEntry();
            if (!new String(in.readAllBytes()).equals("hello")) throw new AssertionError("zip");
          }
          ZonedDateTime.now(ZoneId.of("Europe/Paris"));
          System.out.println("selftest ok VERSION");
        }
      }
      """;

  /**
   * What a real service needs of its runtime: a name lookup through the C library (a reverse lookup
   * of 127.0.0.1 must give "localhost"), a TLS context with the default trust store (it must hold
   * certificates), a time zone from tzdb, and zip reading.
   */
  static final String PROBE =
      """
      import java.io.*;
      import java.net.InetAddress;
      import java.security.KeyStore;
      import java.time.*;
      import java.util.zip.*;
      import javax.net.ssl.*;

      public class Probe {
        public static void main(String[] args) throws Exception {
          String reverse = InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName();
          if (!reverse.equals("localhost")) throw new AssertionError("dns: " + reverse);
          SSLContext tls = SSLContext.getInstance("TLS");
          tls.init(null, null, null);
          TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init((KeyStore) null);
          int cas = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers().length;
          if (cas < 10) throw new AssertionError("trust store has " + cas + " certificates");
          String paris = ZonedDateTime.of(2024, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")).getOffset().toString();
          if (!paris.equals("+02:00")) throw new AssertionError("tz: " + paris);
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.write("hello".getBytes());
          }
          try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.getNextEntry();
            if (!new String(in.readAllBytes()).equals("hello")) throw new AssertionError("zip");
          }
          System.out.println("probe ok: dns, tls (" + cas + " CAs), tz " + paris + ", zip");
        }
      }
      """;

  private AppFixtures() {}

  /** Compiles {@code source} (class {@code name}) into {@code dir}. */
  static Path compile(Path dir, String name, String source) throws IOException {
    Path file = dir.resolve(name + ".java");
    Files.writeString(file, source);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "--release", "17", "-d", dir.toString(), file.toString());
    assertEquals(0, rc, "javac " + name);
    return dir.resolve(name + ".class");
  }

  /** A runnable jar of the App with the given version string. */
  static Path appJar(Path dir, String version) throws IOException {
    Path work = Files.createDirectories(dir.resolve("app-" + version));
    Path cls = compile(work, "App", APP.replace("VERSION", version));
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
    return jar;
  }

  /**
   * An image made from {@code baseImage} with {@code files} copied in (host path → container path),
   * through a created container and a commit; the container is removed.
   */
  static void image(String tag, String baseImage, java.util.Map<Path, String> files) {
    String id = DockerCli.ok("create", baseImage, "true").out().strip();
    try {
      for (var f : files.entrySet()) {
        DockerCli.ok("cp", f.getKey().toString(), id + ":" + f.getValue());
      }
      DockerCli.ok("commit", id, tag);
    } finally {
      DockerCli.run("rm", "-f", id);
    }
  }
}
