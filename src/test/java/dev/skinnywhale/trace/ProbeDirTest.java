package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeDirTest {
  private static ProbeDir.Output read(byte[] tar, TracerKind kind) throws IOException {
    return ProbeDir.read(new ByteArrayInputStream(tar), kind, "trace of `x`");
  }

  @Test
  void testRead_onlyFilesDirectlyInTheProbeDirCount() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarStreamWriter w = new TarStreamWriter(out);
    w.addDirectory(".skinnywhale-probe", NodeMeta.of(01777));
    w.addDirectory(".skinnywhale-probe/sub", NodeMeta.of(0755));
    file(w, ".skinnywhale-probe/sub/status", "error ptrace: planted by the program\n");
    file(w, ".skinnywhale-probe/sub/trace.log", "not a log line at all\n");
    file(w, ".skinnywhale-probe/status", "ok exit=0\n");
    file(w, ".skinnywhale-probe/trace.log", ProbeRunnerTest.OPEN_HOSTNAME);
    w.finish();
    ProbeDir.Output o = read(out.toByteArray(), TracerKind.PTRACE);
    assertInstanceOf(TracerStatus.Exited.class, o.status());
    assertEquals(List.of("/etc/hostname"), List.copyOf(o.accesses().paths()));
  }

  @Test
  void testRead_noStatusIsMissing() throws IOException {
    ProbeDir.Output o = read(ScriptedEngine.probeDir(Map.of()), TracerKind.PTRACE);
    assertEquals(new TracerStatus.Missing(), o.status());
    assertTrue(o.accesses().paths().isEmpty());
  }

  @Test
  void testRead_statusOverItsCapIsMalformed() throws IOException {
    String big = "ok exit=0 " + "x".repeat(TracerStatus.MAX_BYTES);
    ProbeDir.Output o = read(ScriptedEngine.probeDir(Map.of("status", big)), TracerKind.PTRACE);
    assertInstanceOf(TracerStatus.Malformed.class, o.status());
  }

  @Test
  void testRead_syscallSummaryParsed_absentIsEmpty() throws IOException {
    ProbeDir.Output o =
        read(
            ScriptedEngine.probeDir(
                Map.of(
                    "status",
                    "ok exit=0 mode=syscall\n",
                    "syscalls",
                    "syscalls 1\nx86_64 ran 0 1\n")),
            TracerKind.PTRACE);
    assertEquals(
        List.of(0, 1),
        List.copyOf(
            o.syscalls().orElseThrow().ran().get(dev.skinnywhale.seccomp.SyscallAbi.X86_64)));
    assertEquals(
        Optional.empty(),
        read(ScriptedEngine.probeDir(Map.of("status", "ok exit=0\n")), TracerKind.PTRACE)
            .syscalls());
  }

  @Test
  void testRead_malformedSyscallSummary_namesTheTrace() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                read(
                    ScriptedEngine.probeDir(Map.of("syscalls", "syscalls 1\nx86_64 ran x\n")),
                    TracerKind.PTRACE));
    assertTrue(e.getMessage().contains("syscall summary of the trace of `x`:2:"), e.getMessage());
  }

  /** A log over the limit is refused from its header, before any of it is read. */
  @Test
  void testRead_logOverTheLimitNamesFileAndLimit() {
    byte[] header = ustarHeader(".skinnywhale-probe/trace.log", ProbeDir.MAX_LOG_BYTES + 1);
    InputStream neverRead =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the log's data was read");
          }
        };
    InputStream tar = new SequenceInputStream(new ByteArrayInputStream(header), neverRead);
    IOException e =
        assertThrows(
            IOException.class, () -> ProbeDir.read(tar, TracerKind.PTRACE, "trace of `x`"));
    assertEquals("the probe's /.skinnywhale-probe/trace.log is larger than 512 MB", e.getMessage());
  }

  @Test
  void testTar_holdsTheTracerAndTheScript() throws IOException {
    ProbeCommand script =
        ProbeCommand.script(
            "smoke.sh", new ProbeCommand.Script("#!/bin/sh\necho hi\n"), Optional.empty());
    byte[] tar = ProbeDir.tar(TracerKind.PTRACE, Optional.of(new byte[] {1, 2}), script);
    List<String> entries = new ArrayList<>();
    try (TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar))) {
      for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
        entries.add(e.get().path() + " " + Integer.toOctalString(e.get().meta().mode()));
      }
    }
    assertEquals(
        List.of(
            "/.skinnywhale-probe 1777",
            "/.skinnywhale-probe/tracer 755",
            "/.skinnywhale-probe/run-file 755"),
        entries);
  }

  private static void file(TarStreamWriter w, String name, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    w.addFile(name, NodeMeta.of(0644), b.length, new ByteArrayInputStream(b));
  }

  /** One ustar header of a regular file of {@code size} bytes (its data does not follow). */
  private static byte[] ustarHeader(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
