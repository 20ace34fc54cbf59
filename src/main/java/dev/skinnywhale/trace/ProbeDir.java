package dev.skinnywhale.trace;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.seccomp.SyscallSummary;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.tar.TarStreamWriter;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.LdDebugLogParser;
import dev.skinnywhale.tracelog.LineBudget;
import dev.skinnywhale.tracelog.StraceLogParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The probe directory ({@link ProbeRunner#PROBE_DIR}) of a probe container: the tar copied in (the
 * tracer, a --run-file script) and what is read back out of it (the tracer's status, the logs), the
 * logs parsed straight from the copied-out tar stream, never held whole in memory.
 */
final class ProbeDir {
  /** The most bytes of one log read back from a probe (a runaway program cannot run for ever). */
  static final long MAX_LOG_BYTES = 512L << 20;

  static final String TRACER = "tracer";
  static final String TRACE_LOG = "trace.log";
  static final String STATUS = "status";
  static final String SYSCALLS = "syscalls";

  /** The most bytes of a syscall summary (five ABIs of 1024 numbers are less than 30 KB). */
  static final int MAX_SYSCALLS_BYTES = 256 * 1024;

  /** LD_DEBUG_OUTPUT's prefix: the loader writes {@code ld.<pid>}. */
  static final String LD_DEBUG_PREFIX = "ld";

  private ProbeDir() {}

  /**
   * What a probe left: the tracer's status ({@link TracerStatus.Missing} when there is none, or no
   * tracer), the paths its logs name, and its {@code --syscalls} summary when it wrote one.
   */
  record Output(TracerStatus status, AccessSet accesses, Optional<SyscallSummary> syscalls) {
    Output {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(accesses, "accesses");
      Objects.requireNonNull(syscalls, "syscalls");
    }
  }

  /** A tar holding the probe directory (world-writable, sticky) and, for PTRACE, the tracer. */
  static byte[] tar(TracerKind kind, Optional<byte[]> tracer, ProbeCommand command)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter tar = new TarStreamWriter(bytes);
    String dir = ProbeRunner.PROBE_DIR.substring(1);
    tar.addDirectory(dir, NodeMeta.of(01777));
    NodeMeta executable = new NodeMeta(0755, 0, 0, "", "", Instant.EPOCH, Map.of());
    if (kind == TracerKind.PTRACE) {
      byte[] binary =
          tracer.orElseThrow(() -> new IllegalStateException("no tracer for this architecture"));
      tar.addFile(dir + "/" + TRACER, executable, binary.length, new ByteArrayInputStream(binary));
    }
    if (command.script().isPresent()) {
      byte[] script = command.script().get().content().getBytes(StandardCharsets.ISO_8859_1);
      tar.addFile(
          ProbeCommand.SCRIPT_PATH.substring(1),
          executable,
          script.length,
          new ByteArrayInputStream(script));
    }
    tar.finish();
    return bytes.toByteArray();
  }

  /**
   * Reads the probe directory back from {@code tar} (the engine's archive of it): for PTRACE the
   * status and the trace log (named {@code traceName} in errors) with the logs of a healthcheck's
   * traced tries ({@code health-N.log}), for LD_DEBUG every {@code ld.*} log. Only regular files
   * directly in the directory count; what else the program left there is skipped unread.
   *
   * @throws IOException when a log is larger than {@link #MAX_LOG_BYTES}, the logs together have
   *     more than {@link LineBudget#MAX_LINES_PER_RUN} lines, or the tar is malformed
   */
  static Output read(InputStream tar, TracerKind kind, String traceName) throws IOException {
    TracerStatus status = new TracerStatus.Missing();
    AccessSet accesses = AccessSet.empty();
    Optional<SyscallSummary> syscalls = Optional.empty();
    LineBudget lines = LineBudget.perRun();
    try (TarStreamReader entries = new TarStreamReader(tar)) {
      for (Optional<TarEntry> next = entries.next(); next.isPresent(); next = entries.next()) {
        TarEntry e = next.get();
        if (e.type() != TarEntry.Type.FILE || !e.parent().equals(ProbeRunner.PROBE_DIR)) {
          continue;
        }
        String name = e.name();
        if (kind == TracerKind.PTRACE && name.equals(STATUS)) {
          status = status(entries.content());
        } else if (kind == TracerKind.PTRACE && name.equals(SYSCALLS)) {
          syscalls = Optional.of(syscalls(entries.content(), traceName));
        } else if (kind == TracerKind.PTRACE
            && (name.equals(TRACE_LOG)
                || (name.startsWith(HealthProbe.LOG_PREFIX) && name.endsWith(".log")))) {
          checkSize(e);
          accesses =
              accesses.merge(
                  new StraceLogParser().parse(traceName, text(entries.content()), lines));
        } else if (kind == TracerKind.LD_DEBUG && name.startsWith(LD_DEBUG_PREFIX + ".")) {
          checkSize(e);
          accesses =
              accesses.merge(new LdDebugLogParser().parse(name, text(entries.content()), lines));
        }
      }
    }
    return new Output(status, accesses, syscalls);
  }

  private static SyscallSummary syscalls(InputStream in, String traceName) throws IOException {
    byte[] bytes = in.readNBytes(MAX_SYSCALLS_BYTES + 1);
    String name = "syscall summary of the " + traceName;
    if (bytes.length > MAX_SYSCALLS_BYTES) {
      throw new IOException(name + " is larger than " + MAX_SYSCALLS_BYTES + " bytes");
    }
    try {
      return SyscallSummary.parse(name, new String(bytes, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static TracerStatus status(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(TracerStatus.MAX_BYTES + 1);
    if (bytes.length > TracerStatus.MAX_BYTES) {
      return new TracerStatus.Malformed(
          "(a status file of more than " + TracerStatus.MAX_BYTES + " bytes)");
    }
    return TracerStatus.parse(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  private static void checkSize(TarEntry e) throws IOException {
    if (e.size() > MAX_LOG_BYTES) {
      throw new IOException(
          "the probe's " + e.path() + " is larger than " + (MAX_LOG_BYTES >> 20) + " MB");
    }
  }

  /** Log bytes as chars, one per byte (paths are bytes). */
  private static InputStreamReader text(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.ISO_8859_1);
  }
}
