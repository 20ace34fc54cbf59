package dev.skinnywhale.linker;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Small inputs an image controls that once cost unbounded time or memory: loader configurations and
 * ld.so.cache files, generated in code (ELF files: {@link dev.skinnywhale.elf.HostileElf}).
 */
public final class HostileInputs {
  private HostileInputs() {}

  /**
   * A 60-byte ld.so.conf whose include glob walks {@code /etc/d}, which holds three symlinks to
   * itself: without identity, the i-th {@code *} multiplies the paths by four.
   */
  public static RootFs selfLinkedConf(int stars) {
    String pattern = "/etc/d/" + "*/".repeat(stars) + "*.conf";
    return new TestFs()
        .text("/etc/ld.so.conf", "include " + pattern + "\n")
        .link("/etc/d/self", ".")
        .link("/etc/d/loop", "/etc/d")
        .link("/etc/d/up", "../d")
        .text("/etc/d/a.conf", "/opt/a\n")
        .build();
  }

  /** {@code n} files in /etc/ld.so.conf.d, each including {@code *.conf} again. */
  public static RootFs includeFanout(int n) {
    List<FsNode> nodes = new ArrayList<>();
    nodes.add(text("/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n"));
    for (int i = 0; i < n; i++) {
      String name = String.format("f%05d", i);
      nodes.add(text("/etc/ld.so.conf.d/" + name + ".conf", "include *.conf\n/opt/" + name + "\n"));
    }
    return RootFs.of(nodes);
  }

  /** A chain of {@code n} ld.so.conf files, each including the next. */
  public static RootFs includeChain(int n) {
    List<FsNode> nodes = new ArrayList<>();
    nodes.add(text("/etc/ld.so.conf", "include c0.conf\n"));
    for (int i = 0; i < n; i++) {
      nodes.add(text("/etc/c" + i + ".conf", "/opt/c" + i + "\ninclude c" + (i + 1) + ".conf\n"));
    }
    return RootFs.of(nodes);
  }

  private static FsNode text(String path, String content) {
    return new FsNode.RegularFile(
        path, NodeMeta.of(0644), new BytesBlob(content.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /**
   * A new-format ld.so.cache of {@code entries} x86-64 entries whose keys and values all point at
   * one string of {@code stringBytes} bytes.
   */
  public static byte[] cacheOneString(int entries, int stringBytes) {
    return cache(entries, stringBytes, false);
  }

  /** As {@link #cacheOneString}, but entry i points at the suffix from byte i of that string. */
  public static byte[] cacheSuffixes(int entries, int stringBytes) {
    return cache(entries, stringBytes, true);
  }

  private static byte[] cache(int entries, int stringBytes, boolean suffixes) {
    int stringsAt = LdSoCache.NEW_HEADER + entries * LdSoCache.NEW_ENTRY;
    ByteBuffer b = ByteBuffer.allocate(stringsAt + stringBytes + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, LdSoCache.MAGIC_NEW.getBytes(StandardCharsets.ISO_8859_1));
    b.putInt(20, entries).putInt(24, stringBytes + 1).put(28, (byte) 2);
    for (int i = 0; i < entries; i++) {
      int at = LdSoCache.NEW_HEADER + i * LdSoCache.NEW_ENTRY;
      int offset = stringsAt + (suffixes ? i % stringBytes : 0);
      b.putInt(at, LdSoCacheFixture.X86_64).putInt(at + 4, offset).putInt(at + 8, offset);
    }
    for (int i = 0; i < stringBytes; i++) {
      b.put(stringsAt + i, (byte) 'a');
    }
    return b.array();
  }
}
