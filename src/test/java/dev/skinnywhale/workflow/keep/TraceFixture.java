package dev.skinnywhale.workflow.keep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.StraceLogParser;
import dev.skinnywhale.tracelog.TracedPaths;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Source;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/** A small image and a tracer log of a run in it, for the trace steps' tests. */
public final class TraceFixture {
  private TraceFixture() {}

  public static final RootFs FS =
      RootFs.of(
          List.of(
              new FsNode.Symlink("/lib", NodeMeta.of(0777), "usr/lib"),
              file("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
              file("/etc/nsswitch.conf"),
              file("/etc/hosts"),
              new FsNode.Directory("/etc/ssl", NodeMeta.of(0755)),
              file("/etc/ssl/big-unread.pem"),
              file("/usr/bin/java"),
              new FsNode.Directory("/var/log/app", NodeMeta.of(0755)),
              file("/var/log/app/old.log"),
              file("/proc/self/maps")));

  /** A log in our tracer's format (strace -f -y -o). */
  public static final String LOG =
      """
      100   execve("/usr/bin/java", ["java"], 0x7ffd /* 3 vars */) = 0
      100   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libnss_files.so.2", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libnss_files.so.2>
      100   openat(AT_FDCWD</>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = 3</etc/nsswitch.conf>
      100   openat(AT_FDCWD</>, "/etc/ssl", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 4</etc/ssl>
      100   stat("/etc/missing.conf", 0x7ffd) = -1 ENOENT (No such file or directory)
      100   openat(AT_FDCWD</>, "/proc/self/maps", O_RDONLY) = 5</proc/self/maps>
      100   openat(AT_FDCWD</>, "/tmp/made-by-probe", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 6</tmp/made-by-probe>
      100   openat(AT_FDCWD</>, "/.skinnywhale-probe/trace.log", O_WRONLY|O_CREAT, 0644) = 7</.skinnywhale-probe/trace.log>
      100   openat(AT_FDCWD</>, "/var/log/app/new/today.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 8</var/log/app/new/today.log>
      100   +++ exited with 0 +++
      """;

  public static FsNode.RegularFile file(String path) {
    return new FsNode.RegularFile(path, NodeMeta.of(0644), new BytesBlob(new byte[] {1}));
  }

  public static AccessSet parse(String log) throws Exception {
    return new StraceLogParser().parse("test.log", new StringReader(log));
  }

  /** A reporter that says nothing. */
  public static final Reporter QUIET =
      new Reporter() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };

  /** An image source with an empty config. */
  public static Source source() {
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.putObject("config");
    return source(config);
  }

  /** An image source with this image config ({@code config.User}, {@code config.Env}, ...). */
  public static Source source(ObjectNode config) {
    return new Source(
        Source.Kind.IMAGE,
        "sha256:" + "a".repeat(64),
        "a".repeat(12),
        "img",
        "sha256:" + "a".repeat(64),
        config,
        1);
  }

  /** What the contributors see of {@code fs} after a trace. */
  public static Snapshot snapshot(RootFs fs, TracedPaths traced) {
    return new Snapshot(fs, source(), Optional.empty(), traced);
  }
}
