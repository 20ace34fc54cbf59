package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated images with package databases: a usr-merged layout, files, and dpkg or apk records
 * whose files lists name pre-usr-merge paths, as bookworm's do.
 */
public final class DbFixture {
  private final Map<String, FsNode> nodes = new LinkedHashMap<>();

  /** An empty image (not usr-merged). */
  public DbFixture() {}

  private final StringBuilder status = new StringBuilder();
  private final StringBuilder extended = new StringBuilder();
  private final StringBuilder apk = new StringBuilder();

  /** /bin, /lib, /sbin as symlinks into /usr, as on bookworm. */
  public static DbFixture usrMerged() {
    DbFixture f = new DbFixture();
    for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/etc", "/tmp")) {
      f.dir(d);
    }
    f.link("/bin", "usr/bin");
    f.link("/lib", "usr/lib");
    f.link("/sbin", "usr/sbin");
    return f;
  }

  public DbFixture dir(String path) {
    nodes.put(path, new FsNode.Directory(path, NodeMeta.of(0755)));
    return this;
  }

  public DbFixture file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.ISO_8859_1), 0644);
  }

  public DbFixture file(String path, byte[] content, int mode) {
    nodes.put(path, new FsNode.RegularFile(path, NodeMeta.of(mode), new BytesBlob(content)));
    return this;
  }

  public DbFixture link(String path, String target) {
    nodes.put(path, new FsNode.Symlink(path, NodeMeta.of(0777), target));
    return this;
  }

  /** An ELF-looking file (the magic, then padding). */
  public DbFixture elf(String path) {
    byte[] b = new byte[64];
    b[0] = 0x7f;
    b[1] = 'E';
    b[2] = 'L';
    b[3] = 'F';
    return file(path, b, 0644);
  }

  /**
   * A dpkg package: its status record (with {@code fields}, one "Name: value" per line) and its
   * files list {@code info/INFONAME.list} holding {@code listed}.
   */
  public DbFixture dpkg(String name, String arch, String fields, String... listed) {
    status.append("Package: ").append(name).append('\n');
    status.append("Status: install ok installed\n");
    status.append("Architecture: ").append(arch).append('\n');
    status.append("Version: 1.0-1\n");
    if (!fields.isEmpty()) {
      status.append(fields.strip()).append('\n');
    }
    status.append("Description: the ").append(name).append(" package\n");
    status.append(" a continued description line\n\n");
    boolean multiArch = fields.contains("Multi-Arch: same");
    String info = multiArch ? name + ":" + arch : name;
    StringBuilder list = new StringBuilder("/.\n");
    for (String l : listed) {
      list.append(l).append('\n');
    }
    return file("/var/lib/dpkg/info/" + info + ".list", list.toString());
  }

  /** apt's record that {@code name} was installed as a dependency. */
  public DbFixture auto(String name, String arch) {
    extended.append("Package: ").append(name).append("\nArchitecture: ").append(arch);
    extended.append("\nAuto-Installed: 1\n\n");
    return this;
  }

  /** An apk record: P, V, A, D lines, then F/R lines for {@code files} ("dir/name"). */
  public DbFixture apk(String name, String depends, String... files) {
    apk.append("C:Q1abc=\nP:").append(name).append("\nV:1.0-r0\nA:x86_64\n");
    if (!depends.isEmpty()) {
      apk.append("D:").append(depends).append('\n');
    }
    String dir = null;
    for (String f : files) {
      int slash = f.lastIndexOf('/');
      String d = f.substring(0, slash);
      if (!d.equals(dir)) {
        apk.append("F:").append(d).append("\nM:0:0:755\n");
        dir = d;
      }
      apk.append("R:").append(f.substring(slash + 1)).append("\na:0:0:755\nZ:Q1xyz=\n");
    }
    apk.append('\n');
    return this;
  }

  /** The filesystem, with the databases written. */
  public RootFs fs() {
    List<FsNode> all = new ArrayList<>(nodes.values());
    if (status.length() > 0) {
      all.add(text("/var/lib/dpkg/status", status.toString()));
    }
    if (extended.length() > 0) {
      all.add(text("/var/lib/apt/extended_states", extended.toString()));
    }
    if (apk.length() > 0) {
      all.add(text("/lib/apk/db/installed", apk.toString()));
    }
    return RootFs.of(all);
  }

  /** The status file as written so far. */
  public String status() {
    return status.toString();
  }

  public static FsNode.RegularFile text(String path, String content) {
    return new FsNode.RegularFile(
        path, NodeMeta.of(0644), new BytesBlob(content.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
