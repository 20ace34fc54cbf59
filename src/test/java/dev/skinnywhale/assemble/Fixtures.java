package dev.skinnywhale.assemble;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small usrmerge Debian-like filesystem, generated. */
final class Fixtures {
  private Fixtures() {}

  static final Instant T = Instant.parse("2024-01-02T03:04:05Z");

  static NodeMeta meta(int mode) {
    return new NodeMeta(mode, 0, 0, "root", "root", T, Map.of());
  }

  static FsNode dir(String path, int mode) {
    return new FsNode.Directory(path, meta(mode));
  }

  static FsNode file(String path, String content) {
    return new FsNode.RegularFile(
        path, meta(0644), new BytesBlob(content.getBytes(StandardCharsets.US_ASCII)));
  }

  static FsNode link(String path, String target) {
    return new FsNode.Symlink(path, meta(0777), target);
  }

  static List<FsNode> usrmerge() {
    List<FsNode> n = new ArrayList<>();
    n.add(dir("/usr", 0755));
    n.add(dir("/usr/bin", 0755));
    n.add(dir("/usr/lib", 0755));
    n.add(
        new FsNode.Directory(
            "/usr/lib/x86_64-linux-gnu",
            new NodeMeta(
                0750,
                7,
                8,
                "libs",
                "libs",
                T.plusSeconds(60),
                Map.of("SCHILY.xattr.user.a", "b"))));
    n.add(file("/usr/lib/x86_64-linux-gnu/libc.so.6", "libc-bytes"));
    n.add(file("/usr/lib/x86_64-linux-gnu/libm.so.6", "libm"));
    n.add(link("/lib", "usr/lib"));
    n.add(link("/lib64", "usr/lib64"));
    n.add(dir("/usr/lib64", 0755));
    n.add(link("/usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
    n.add(file("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "ld"));
    n.add(dir("/etc", 0755));
    n.add(dir("/etc/alternatives", 0755));
    n.add(link("/usr/bin/java", "/etc/alternatives/java"));
    n.add(link("/etc/alternatives/java", "/usr/lib/jvm/bin/java"));
    n.add(dir("/usr/lib/jvm", 0755));
    n.add(dir("/usr/lib/jvm/bin", 0755));
    n.add(file("/usr/lib/jvm/bin/java", "java-launcher"));
    n.add(file("/usr/bin/gunzip", "gzip!"));
    n.add(new FsNode.HardLink("/usr/bin/uncompress", meta(0755), "/usr/bin/gunzip"));
    n.add(dir("/usr/share", 0755));
    n.add(dir("/usr/share/doc", 0755));
    n.add(dir("/usr/share/doc/pkg", 0755));
    n.add(file("/usr/share/doc/pkg/copyright", "(c)"));
    n.add(file("/usr/share/doc/pkg/changelog", "log"));
    n.add(file("/usr/share/pkg.txt", "data"));
    n.add(link("/usr/bin/license", "../share/doc/pkg/copyright"));
    n.add(dir("/var", 0755));
    n.add(dir("/var/cache", 0755));
    n.add(dir("/var/cache/apt", 0755));
    n.add(file("/var/cache/apt/pkgcache.bin", "cache"));
    n.add(file("/etc/hostname", "box"));
    n.add(link("/loop1", "loop2"));
    n.add(link("/loop2", "loop1"));
    n.add(link("/dangling", "/nowhere"));
    n.add(new FsNode.Special("/dev/null", meta(0666), FsNode.Special.Kind.CHAR_DEVICE, 1, 3));
    return n;
  }
}
