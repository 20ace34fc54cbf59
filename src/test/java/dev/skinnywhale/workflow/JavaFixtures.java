package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;

/** Fixture containers with a JRE from Debian's packages, made once and reused between runs. */
final class JavaFixtures {
  static final String BOOKWORM_JRE = "skinnywhale-it-jre-bookworm";
  static final String BULLSEYE_JRE_APP = "skinnywhale-it-jre-bullseye-app";

  private static final String INSTALL_JRE =
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq"
          + " openjdk-17-jre-headless >/dev/null";

  /**
   * A Java program that resolves names through the C library: a reverse lookup of 127.0.0.1 must
   * give "localhost" (glibc's NSS "files" source reading /etc/hosts). Exits 0 when it does, 3 when
   * not. The JDK answers a forward lookup of "localhost" without NSS, so that alone would prove
   * nothing.
   */
  static final String DNS_PROGRAM =
      """
      import java.net.InetAddress;

      public class Dns {
        public static void main(String[] args) throws Exception {
          InetAddress local = InetAddress.getByName("localhost");
          String reverse = InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName();
          System.out.println("localhost=" + local.getHostAddress() + " 127.0.0.1=" + reverse);
          System.exit(reverse.equals("localhost") ? 0 : 3);
        }
      }
      """;

  private JavaFixtures() {}

  static String bookwormJre() {
    DockerCli.requireDocker();
    return DockerCli.requireContainer(BOOKWORM_JRE, "bookworm", INSTALL_JRE);
  }

  /** bullseye (glibc 2.31, libnss_files.so.2 dlopen'ed) with a JRE and /app/Dns.class. */
  static String bullseyeJreWithDnsApp() throws IOException {
    DockerCli.requireDocker();
    DockerCli.Result state =
        DockerCli.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", BULLSEYE_JRE_APP);
    if (state.exitCode() == 0 && state.out().strip().equals("exited 0")) {
      return BULLSEYE_JRE_APP;
    }
    DockerCli.run("rm", "-f", BULLSEYE_JRE_APP);
    Path dir = Files.createTempDirectory("dns-app");
    try {
      Path source = dir.resolve("Dns.java");
      Files.writeString(source, DNS_PROGRAM);
      int rc =
          ToolProvider.getSystemJavaCompiler()
              .run(null, null, null, "--release", "17", "-d", dir.toString(), source.toString());
      if (rc != 0) {
        fail("could not compile the DNS program");
      }
      DockerCli.requireContainer(BULLSEYE_JRE_APP, "bullseye", INSTALL_JRE + " && mkdir -p /app");
      DockerCli.ok("cp", dir.resolve("Dns.class").toString(), BULLSEYE_JRE_APP + ":/app/Dns.class");
      return BULLSEYE_JRE_APP;
    } finally {
      for (Path p : List.of(dir.resolve("Dns.java"), dir.resolve("Dns.class"), dir)) {
        Files.deleteIfExists(p);
      }
    }
  }
}
