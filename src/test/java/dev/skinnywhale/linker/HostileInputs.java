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
 * Small inputs an image controls that once cost unbounded time or memory: loader configurations,
 * ld.so.cache files and ELF files, generated in code.
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
    int stringsAt = LdSoCache.NEW_HEADER + entries * LdSoCache.NEW_ENTRY;
    ByteBuffer b = ByteBuffer.allocate(stringsAt + stringBytes + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, LdSoCache.MAGIC_NEW.getBytes(StandardCharsets.ISO_8859_1));
    b.putInt(20, entries).putInt(24, stringBytes + 1).put(28, (byte) 2);
    for (int i = 0; i < entries; i++) {
      int at = LdSoCache.NEW_HEADER + i * LdSoCache.NEW_ENTRY;
      b.putInt(at, LdSoCacheFixture.X86_64).putInt(at + 4, stringsAt).putInt(at + 8, stringsAt);
    }
    for (int i = 0; i < stringBytes; i++) {
      b.put(stringsAt + i, (byte) 'a');
    }
    return b.array();
  }

  /**
   * A 64-bit x86-64 shared object with {@code count} DT_NEEDED entries. With {@code distinct} false
   * they all name one string; with it true, entry i names the suffix at i of one string of {@code
   * count} bytes (so each is decoded apart).
   */
  public static byte[] elfManyNeeded(int count, boolean distinct) {
    long base = 0x400000;
    int phoff = 64;
    int dynAt = phoff + 2 * 56;
    int dynSize = (count + 3) * 16;
    int strAt = dynAt + dynSize;
    byte[] strings;
    if (distinct) {
      strings = new byte[count + 2];
      for (int i = 1; i <= count; i++) {
        strings[i] = 'l';
      }
    } else {
      strings = "\0libhostile.so.1\0".getBytes(StandardCharsets.ISO_8859_1);
    }
    int size = strAt + strings.length;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 3).putShort(18, (short) 62).putInt(20, 1);
    b.putLong(0x20, phoff).putShort(0x34, (short) 64).putShort(0x36, (short) 56);
    b.putShort(0x38, (short) 2);
    // PT_LOAD of the whole file, then PT_DYNAMIC.
    b.putInt(phoff, 1).putInt(phoff + 4, 4).putLong(phoff + 8, 0).putLong(phoff + 16, base);
    b.putLong(phoff + 32, size).putLong(phoff + 40, size);
    int dyn = phoff + 56;
    b.putInt(dyn, 2).putInt(dyn + 4, 6).putLong(dyn + 8, dynAt).putLong(dyn + 16, base + dynAt);
    b.putLong(dyn + 32, dynSize).putLong(dyn + 40, dynSize);
    for (int i = 0; i < count; i++) {
      b.putLong(dynAt + i * 16, 1).putLong(dynAt + i * 16 + 8, distinct ? i + 1 : 1);
    }
    int tail = dynAt + count * 16;
    b.putLong(tail, 5).putLong(tail + 8, base + strAt);
    b.putLong(tail + 16, 10).putLong(tail + 24, strings.length);
    b.put(strAt, strings);
    return b.array();
  }
}
