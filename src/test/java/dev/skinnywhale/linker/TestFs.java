package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfFixture;
import dev.skinnywhale.elf.ElfFormatException;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.elf.ElfReader;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny builder of in-memory image filesystems for resolver and keep-plan tests. */
public final class TestFs {
  private final List<FsNode> nodes = new ArrayList<>();

  public TestFs file(String path, byte[] content) {
    nodes.add(new FsNode.RegularFile(path, NodeMeta.of(0755), new BytesBlob(content)));
    return this;
  }

  public TestFs elf(String path, ElfFixture elf) {
    return file(path, elf.bytes());
  }

  public TestFs text(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.ISO_8859_1));
  }

  public TestFs link(String path, String target) {
    nodes.add(new FsNode.Symlink(path, NodeMeta.of(0777), target));
    return this;
  }

  public TestFs dir(String path) {
    nodes.add(new FsNode.Directory(path, NodeMeta.of(0755)));
    return this;
  }

  /** A usrmerged Debian amd64 skeleton: /lib → usr/lib, /lib64 → usr/lib64, ld.so and libc. */
  public TestFs debianBase() {
    return link("/lib", "usr/lib")
        .link("/lib64", "usr/lib64")
        .link("/bin", "usr/bin")
        .link("/usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        .elf(
            "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            ElfFixture.x86_64().soname("ld-linux-x86-64.so.2"))
        .elf(
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            ElfFixture.x86_64()
                .soname("libc.so.6")
                .needed("ld-linux-x86-64.so.2")
                .interpreter("/lib64/ld-linux-x86-64.so.2"));
  }

  public static ElfFixture program(String... needed) {
    return ElfFixture.x86_64().type(3).interpreter("/lib64/ld-linux-x86-64.so.2").needed(needed);
  }

  public static ElfFixture lib(String... needed) {
    return ElfFixture.x86_64().needed(needed);
  }

  /** The headers of a fixture, as the resolver reads them. */
  public static ElfInfo info(ElfFixture elf) {
    try {
      return new ElfReader().read(ByteBuffer.wrap(elf.bytes()));
    } catch (ElfFormatException e) {
      throw new AssertionError(e);
    }
  }

  public RootFs build() {
    return RootFs.of(nodes);
  }
}
