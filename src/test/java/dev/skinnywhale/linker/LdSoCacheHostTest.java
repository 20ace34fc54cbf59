package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The host's /etc/ld.so.cache read by our parser equals what {@code ldconfig -p} prints. */
class LdSoCacheHostTest {
  @Test
  void parse_hostCache_matchesLdconfig() throws Exception {
    Path cache = Path.of("/etc/ld.so.cache");
    assumeTrue(Files.isReadable(cache), "no /etc/ld.so.cache on this host");
    Path ldconfig =
        Files.isExecutable(Path.of("/sbin/ldconfig"))
            ? Path.of("/sbin/ldconfig")
            : Path.of("/usr/sbin/ldconfig");
    assumeTrue(Files.isExecutable(ldconfig), "no ldconfig on this host");
    Process p = new ProcessBuilder(ldconfig.toString(), "-p").redirectErrorStream(false).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    p.waitFor();
    LdSoCache parsed = LdSoCache.parse(ByteBuffer.wrap(Files.readAllBytes(cache)));
    assertEquals(LdconfigOutput.pairs(out, "x86-64"), LdconfigOutput.pairs(parsed, 0x303));
  }

  /** (name, path) pairs, for comparing with ldconfig -p. */
  static final class LdconfigOutput {
    /** Pairs from {@code ldconfig -p} lines whose flags mention {@code archWord}. */
    static Set<String> pairs(String ldconfigP, String archWord) {
      Set<String> out = new TreeSet<>();
      for (String line : ldconfigP.split("\n")) {
        // "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1"
        int arrow = line.lastIndexOf(" => ");
        int paren = line.indexOf(" (");
        if (!line.startsWith("\t") || arrow < 0 || paren < 0) {
          continue;
        }
        String flags = line.substring(paren + 2, line.indexOf(')', paren));
        if (archWord.isEmpty() ? flags.equals("libc6") : flags.contains(archWord)) {
          out.add(line.substring(1, paren) + " => " + line.substring(arrow + 4));
        }
      }
      return out;
    }

    static Set<String> pairs(LdSoCache cache, int flags) {
      Set<String> out = new TreeSet<>();
      for (LdSoCache.Entry e : cache.entries()) {
        if (e.flags() == flags) {
          out.add(e.name() + " => " + e.path());
        }
      }
      return out;
    }
  }
}
