package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of randomly damaged lines: a parser may reject a line, but only with {@link
 * TraceLogException}, never with anything else.
 */
class ParserRobustnessTest {
  private static final List<String> STRACE_LINES =
      List.of(
          "1234  openat(AT_FDCWD</app>, \"conf/a.yml\", O_RDONLY|O_CLOEXEC) = 3</app/conf/a.yml>",
          "15682 openat(AT_FDCWD</tmp/st>, \"a\\\"b<c>d\\ne\", O_RDONLY) = 3</tmp/st/a\\\"b\\74c\\76d\\ne>",
          "1234  stat(\"/x\", 0x7ffd1234) = -1 ENOENT (No such file or directory)",
          "[pid   148] <... clone resumed>, child_tidptr=0x7fdf3cda5a10) = 148",
          "15682 execve(\"/usr/bin/cat\", [\"cat\", \"caf\\303\\251\"], 0x563d /* 35 vars */ <unfinished ...>",
          "15682 <... execve resumed>)             = 0",
          "1  openat2(AT_FDCWD</>, \"/o2\", {flags=O_RDONLY|O_CLOEXEC, mode=0, resolve=0}, 24) = 3</o2>",
          "1  newfstatat(3</etc/ld.so.cache>, \"\", {st_mode=S_IFREG|0644, st_size=35755, ...}, AT_EMPTY_PATH) = 0",
          "1  fchdir(3</srv>) = 0",
          "10  clone(child_stack=NULL, flags=SIGCHLD) = 11",
          "1234  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=5} ---",
          "1234  +++ exited with 0 +++",
          "5  close(3<TCP:[127.0.0.1:41586->127.0.0.1:80]>) = 0",
          "1  readlink(\"/proc/self/exe\", \"/usr/bin/x\", 4096) = 10",
          "1  open(\"/n\", 0x241, 0644) = 3</n>",
          "1  chdir(\"ssl\") = 0",
          "1700000000.123456 openat(AT_FDCWD, \"x\", O_RDONLY) = ? ERESTARTSYS (To be restarted)",
          "clone(child_stack=NULL, flags=SIGCHLDstrace: Process 148 attached");

  private static final List<String> LD_DEBUG_LINES =
      List.of(
          "     42:\tfind library=libz.so.1 [0]; searching",
          "     42:\t  trying file=/jdk/bin/libz.so.1",
          "     42:\t search cache=/etc/ld.so.cache",
          "     42:\tfile=libz.so.1 [0];  generating link map",
          "     42:\tcalling init: /lib/x86_64-linux-gnu/libz.so.1",
          "     42:\tfile=/jdk/lib/server/libjvm.so [0];  generating link map");

  private static final String NOISE = "\"\\<>()[]{},=|-?0123456789 ./AT_FDCWDxEN\t\u00ff";

  @Test
  void parse_damagedStraceLines_onlyTraceLogException() {
    int rejected = run(new Random(20251128L), STRACE_LINES, 20_000, true);
    assertTrue(rejected > 1000, "damage should break many lines: " + rejected);
  }

  @Test
  void parse_damagedLdDebugLines_onlyTraceLogException() {
    int rejected = run(new Random(42L), LD_DEBUG_LINES, 10_000, false);
    assertTrue(rejected > 100, "damage should break some lines: " + rejected);
  }

  private static int run(Random random, List<String> seeds, int count, boolean strace) {
    int rejected = 0;
    StringBuilder context = new StringBuilder();
    for (int i = 0; i < count; i++) {
      // a few good lines before the damaged one, so the stitcher and interpreter carry state
      context.setLength(0);
      for (int k = random.nextInt(4); k > 0; k--) {
        context.append(seeds.get(random.nextInt(seeds.size()))).append('\n');
      }
      String line = damage(random, seeds.get(random.nextInt(seeds.size())));
      context.append(line).append('\n');
      try {
        if (strace) {
          new StraceLogParser().parse("fuzz", new StringReader(context.toString()));
        } else {
          new LdDebugLogParser().parse("fuzz", new StringReader(context.toString()));
        }
      } catch (TraceLogException e) {
        rejected++;
      } catch (IOException | RuntimeException e) {
        fail("line " + i + " [" + line + "] threw " + e, e);
      }
    }
    return rejected;
  }

  private static String damage(Random random, String line) {
    StringBuilder b = new StringBuilder(line);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(5)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
        case 2 -> b.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
        case 3 -> b.setLength(at); // cut
        default -> {
          int len = Math.min(b.length() - at, 1 + random.nextInt(8));
          String piece = b.substring(at, at + len);
          b.insert(random.nextInt(b.length() + 1), piece); // duplicate a piece
        }
      }
    }
    return b.toString();
  }
}
