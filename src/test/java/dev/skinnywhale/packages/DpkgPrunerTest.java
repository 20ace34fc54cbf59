package dev.skinnywhale.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** dpkg's database cut down to a layer, read back by our own reader; and the usage report. */
class DpkgPrunerTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";

  static RootFs image() {
    return DbFixture.usrMerged()
        .elf(LIB + "/libz.so.1")
        .elf("/usr/bin/app")
        .file("/etc/app.conf", "a=1\n")
        .file("/etc/app-extra.conf", "b=2\n")
        .file("/usr/share/doc/app/copyright", "GPL")
        .elf("/usr/bin/tool")
        .dpkg("zlib1g", "amd64", "Multi-Arch: same", "/lib", "/lib/x86_64-linux-gnu/libz.so.1")
        .file("/var/lib/dpkg/info/zlib1g:amd64.md5sums", "aaaa  lib/x86_64-linux-gnu/libz.so.1\n")
        .dpkg(
            "app",
            "amd64",
            "Depends: zlib1g\nConffiles:\n /etc/app.conf 1111\n /etc/app-extra.conf 2222",
            "/usr",
            "/usr/bin",
            "/usr/bin/app",
            "/etc/app.conf",
            "/etc/app-extra.conf",
            "/usr/share/doc/app/copyright")
        .file(
            "/var/lib/dpkg/info/app.md5sums",
            "bbbb  usr/bin/app\ncccc  usr/share/doc/app/copyright\n")
        .file("/var/lib/dpkg/info/app.conffiles", "/etc/app.conf\n/etc/app-extra.conf\n")
        .file("/var/lib/dpkg/info/app.postinst", "#!/bin/sh\n")
        .dpkg("tool", "amd64", "", "/usr/bin/tool")
        .file("/var/lib/dpkg/info/tool.md5sums", "dddd  usr/bin/tool\n")
        .file("/var/lib/dpkg/info/format", "1\n")
        .file("/var/lib/dpkg/status-old", "old\n")
        .fs();
  }

  static final Set<String> LAYER =
      Set.of(
          "/lib",
          "/usr/lib",
          LIB,
          LIB + "/libz.so.1",
          "/usr",
          "/usr/bin",
          "/usr/bin/app",
          "/etc",
          "/etc/app.conf");

  @Test
  void prune_statusHoldsOnlyPackagesWithFilesLeft_conffilesCut() {
    RootFs fs = image();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    PrunedDb pruned = PrunedDb.of(index, fs, LAYER, DbLimits.DEFAULT);
    String status = text(pruned, DpkgReader.STATUS);
    assertTrue(status.contains("Package: zlib1g\n"), status);
    assertTrue(status.contains("Package: app\n"), status);
    assertFalse(status.contains("Package: tool"), status);
    assertTrue(status.contains("Conffiles:\n /etc/app.conf 1111\nDescription: the app"), status);
    assertFalse(status.contains("app-extra"), status);
    assertTrue(status.contains(" a continued description line\n"), "records are kept as written");
  }

  @Test
  void prune_infoFilesListOnlyWhatIsKept_othersDropped() {
    RootFs fs = image();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    PrunedDb pruned = PrunedDb.of(index, fs, LAYER, DbLimits.DEFAULT);
    assertEquals(
        "/.\n/usr\n/usr/bin\n/usr/bin/app\n/etc/app.conf\n",
        text(pruned, "/var/lib/dpkg/info/app.list"));
    assertEquals("bbbb  usr/bin/app\n", text(pruned, "/var/lib/dpkg/info/app.md5sums"));
    assertEquals("/etc/app.conf\n", text(pruned, "/var/lib/dpkg/info/app.conffiles"));
    assertEquals(
        "/.\n/lib\n/lib/x86_64-linux-gnu/libz.so.1\n",
        text(pruned, "/var/lib/dpkg/info/zlib1g:amd64.list"));
    assertTrue(pruned.dropped().contains("/var/lib/dpkg/info/tool.list"));
    assertTrue(pruned.dropped().contains("/var/lib/dpkg/info/tool.md5sums"));
    assertFalse(pruned.dropped().contains("/var/lib/dpkg/info/app.postinst"), "a kept package's");
    assertTrue(pruned.dropped().contains("/var/lib/dpkg/status-old"));
    assertFalse(pruned.dropped().contains("/var/lib/dpkg/info/format"));
    assertFalse(pruned.dropped().contains("/var/lib/dpkg/info/app.list"));
  }

  @Test
  void prune_readsBackAsTheSameDatabaseOfWhatIsKept() {
    RootFs fs = image();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    PrunedDb pruned = PrunedDb.of(index, fs, LAYER, DbLimits.DEFAULT);
    List<FsNode> slim = new ArrayList<>();
    for (String p : LAYER) {
      slim.add(fs.get(p).orElseThrow());
    }
    pruned
        .rewritten()
        .forEach((p, b) -> slim.add(DbFixture.text(p, new String(b, StandardCharsets.ISO_8859_1))));
    RootFs slimFs = RootFs.of(slim);
    PackageIndex again = PackageIndex.of(new DpkgReader().read(slimFs).orElseThrow(), slimFs);
    assertEquals(
        List.of("zlib1g:amd64", "app:amd64"),
        again.db().packages().stream().map(InstalledPackage::key).toList());
    for (InstalledPackage p : again.db().packages()) {
      for (String listed : p.files()) {
        assertTrue(
            again.files(p).stream().anyMatch(o -> o.listed().equals(listed)),
            p.key() + " lists " + listed + ", which the slim image lacks");
      }
    }
  }

  @Test
  void usage_wholePartDropped_docsAsideUnlessKept() {
    RootFs fs = image();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    List<PackageUsage> usage = PackageUsage.of(index, fs, LAYER);
    assertEquals(PackageUsage.State.WHOLE, usage.get(0).state(), usage.toString());
    PackageUsage app = usage.get(1);
    assertEquals(PackageUsage.State.PART, app.state());
    assertEquals(3, app.files(), "the copyright is a doc and not kept: not counted");
    assertEquals(2, app.filesKept());
    assertEquals(64 + 4, app.bytesKept());
    assertEquals(PackageUsage.State.DROPPED, usage.get(2).state());
  }

  private static String text(PrunedDb pruned, String path) {
    byte[] b = pruned.rewritten().get(path);
    if (b == null) {
      throw new AssertionError(path + " not rewritten: " + pruned.rewritten().keySet());
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
