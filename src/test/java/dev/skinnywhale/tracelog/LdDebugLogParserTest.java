package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LdDebugLogParserTest {
  private final LdDebugLogParser parser = new LdDebugLogParser();

  private AccessSet parse(String log) throws IOException {
    return parser.parse("ld.42", new StringReader(log));
  }

  private static Access loaded(boolean ok, int pid) {
    return new Access(AccessKind.LOADED, ok, pid);
  }

  @Test
  void parse_pathSearch_lastTriedFileIsLoaded() throws IOException {
    AccessSet s =
        parse(
            """
                 42:\tfile=libjli.so [0];  needed by java [0]
                 42:\tfind library=libjli.so [0]; searching
                 42:\t search path=/jdk/bin:/jdk/lib\t\t(RPATH from file java)
                 42:\t  trying file=/jdk/bin/libjli.so
                 42:\t  trying file=/jdk/bin/../lib/libjli.so
                 42:\t
                 42:\tfile=libjli.so [0];  generating link map
            """);
    assertEquals(Set.of(loaded(false, 42)), s.byPath().get("/jdk/bin/libjli.so"));
    assertEquals(Set.of(loaded(true, 42)), s.byPath().get("/jdk/lib/libjli.so"));
  }

  @Test
  void parse_cacheHit_namesNoFileButCallingInitDoes() throws IOException {
    AccessSet s =
        parse(
            """
                 42:\tfind library=libz.so.1 [0]; searching
                 42:\t search path=/jdk/bin
                 42:\t  trying file=/jdk/bin/libz.so.1
                 42:\t search cache=/etc/ld.so.cache
                 42:\t
                 42:\tfile=libz.so.1 [0];  generating link map
                 42:\t  dynamic: 0x00007f882c071dd0  base: 0x00007f882c054000   size: 0x1e190
                 42:\tcalling init: /lib/x86_64-linux-gnu/libz.so.1
            """);
    assertEquals(Set.of(loaded(false, 42)), s.byPath().get("/jdk/bin/libz.so.1"));
    assertEquals(Set.of(loaded(true, 42)), s.byPath().get("/lib/x86_64-linux-gnu/libz.so.1"));
    assertEquals(2, s.paths().size());
  }

  @Test
  void parse_dlopenByPath() throws IOException {
    AccessSet s =
        parse(
            """
                 42:\tfile=/jdk/lib/server/libjvm.so [0];  dynamically loaded by /jdk/bin/../lib/libjli.so [0]
                 42:\tfile=/jdk/lib/server/libjvm.so [0];  generating link map
                 42:\tcalling init: /jdk/bin/../lib/server/libjvm.so
            """);
    assertEquals(Set.of("/jdk/lib/server/libjvm.so"), s.paths());
  }

  @Test
  void parse_libraryNotFound_allTriesFail() throws IOException {
    AccessSet s =
        parse(
            """
                 7:\tfind library=libmissing.so [0]; searching
                 7:\t  trying file=/a/libmissing.so
                 7:\tfind library=libother.so [0]; searching
                 7:\t  trying file=/b/libother.so
            """);
    assertEquals(Set.of(loaded(false, 7)), s.byPath().get("/a/libmissing.so"));
    assertEquals(Set.of(loaded(false, 7)), s.byPath().get("/b/libother.so"));
  }

  @Test
  void parse_wideOldGlibcPidColumnAndPerPidSearches() throws IOException {
    AccessSet s =
        parse(
            """
                    10:\tfind library=libnss_files.so.2 [0]; searching
                    11:\tfind library=libx.so [0]; searching
                    10:\t  trying file=/lib/libnss_files.so.2
                    11:\t  trying file=/lib/libx.so
                    10:\tfile=libnss_files.so.2 [0];  generating link map
                    10:\tcalling fini: /lib/libnss_files.so.2 [0]
            """);
    assertEquals(Set.of(loaded(true, 10)), s.byPath().get("/lib/libnss_files.so.2"));
    assertEquals(Set.of(loaded(false, 11)), s.byPath().get("/lib/libx.so"));
  }

  @Test
  void parse_unknownMessagesAndBlankLinesSkipped() throws IOException {
    AccessSet s =
        parse(
            """

                 42:\tinitialize program: java
                 42:\ttransferring control: java
                 42:\topening file=/lib/libnss_files.so.2 [0]; direct_opencount=1
            """);
    // Only the program, as it was run (a bare name: the image's PATH resolves it).
    assertEquals(Set.of("java"), s.paths());
    assertEquals(Set.of(new Access(AccessKind.EXEC, true, 42)), s.byPath().get("java"));
  }

  @Test
  void parse_lineWithoutPid_throwsWithLocation() {
    TraceLogException e =
        assertThrows(
            TraceLogException.class,
            () -> parse("     42:\tcalling init: /lib/libc.so.6\nHello from the program\n"));
    assertEquals("ld.42", e.source());
    assertEquals(2, e.line());
  }

  @Test
  void parse_hugePid_throws() {
    assertThrows(TraceLogException.class, () -> parse("9999999999:\tcalling init: /x\n"));
  }
}
