package dev.skinnywhale.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** apk's database on generated images: records, files, the world file, the core, pruning. */
class ApkReaderTest {
  static DbFixture image() {
    return new DbFixture()
        .elf("/lib/ld-musl-x86_64.so.1")
        .elf("/bin/busybox")
        .elf("/usr/bin/python3.11")
        .file("/usr/lib/python3.11/json/decoder.py", "x = 1\n")
        .file("/etc/apk/world", "busybox python3>=3.11 musl\n")
        .apk("musl", "", "lib/ld-musl-x86_64.so.1")
        .apk("busybox", "so:libc.musl-x86_64.so.1", "bin/busybox")
        .apk(
            "python3",
            "so:libc.musl-x86_64.so.1 !python2",
            "usr/bin/python3.11",
            "usr/lib/python3.11/json/decoder.py");
  }

  @Test
  void read_recordsFilesAndWhatTheUserAskedFor() {
    PackageDb db = new ApkReader().read(image().fs()).orElseThrow();
    assertEquals(PackageDb.Kind.APK, db.kind());
    InstalledPackage py = db.byKey("python3:x86_64").orElseThrow();
    assertEquals(
        List.of(
            "/usr/bin",
            "/usr/bin/python3.11",
            "/usr/lib/python3.11/json",
            "/usr/lib/python3.11/json/decoder.py"),
        py.files());
    assertEquals(List.of(List.of("so:libc.musl-x86_64.so.1")), py.depends());
    assertFalse(py.auto(), "in the world file (with a version constraint)");
    assertFalse(db.byKey("musl:x86_64").orElseThrow().auto());
  }

  @Test
  void core_alpinesBaseSystem() {
    RootFs fs = image().fs();
    PackageIndex index = PackageIndex.of(new ApkReader().read(fs).orElseThrow(), fs);
    assertTrue(index.isCore(index.db().byKey("musl:x86_64").orElseThrow()));
    assertTrue(index.isCore(index.db().byKey("busybox:x86_64").orElseThrow()));
    assertFalse(index.isCore(index.db().byKey("python3:x86_64").orElseThrow()));
  }

  @Test
  void prune_keepsOnlyKeptFilesOfKeptPackages() {
    RootFs fs = image().fs();
    PackageIndex index = PackageIndex.of(new ApkReader().read(fs).orElseThrow(), fs);
    PrunedDb pruned =
        PrunedDb.of(
            index,
            fs,
            Set.of("/usr/bin", "/usr/bin/python3.11", "/lib", "/lib/ld-musl-x86_64.so.1"),
            DbLimits.DEFAULT);
    String installed =
        new String(pruned.rewritten().get(ApkReader.INSTALLED), StandardCharsets.ISO_8859_1);
    assertTrue(installed.contains("P:python3\n"), installed);
    assertTrue(installed.contains("P:musl\n"), installed);
    assertFalse(installed.contains("P:busybox"), installed);
    assertTrue(installed.contains("F:usr/bin\nM:0:0:755\nR:python3.11\na:0:0:755\nZ:Q1xyz=\n"));
    assertFalse(installed.contains("decoder.py"), installed);
    assertFalse(installed.contains("F:usr/lib/python3.11/json"), installed);
    // The pruned database reads back.
    RootFs slim =
        RootFs.of(
            List.of(
                DbFixture.text(ApkReader.INSTALLED, installed),
                fs.get("/usr/bin/python3.11").orElseThrow(),
                fs.get("/lib/ld-musl-x86_64.so.1").orElseThrow()));
    PackageDb again = new ApkReader().read(slim).orElseThrow();
    assertEquals(List.of("musl", "python3"), again.packages().stream().map(p -> p.name()).toList());
  }

  @Test
  void read_brokenLine_errorNamesFileAndLine() {
    RootFs fs =
        RootFs.of(List.of(DbFixture.text(ApkReader.INSTALLED, "P:musl\nV:1\nthis is not apk\n")));
    PackageDbException e = assertThrows(PackageDbException.class, () -> new ApkReader().read(fs));
    assertEquals(ApkReader.INSTALLED, e.file());
    assertEquals(3, e.line());
    RootFs noDir = RootFs.of(List.of(DbFixture.text(ApkReader.INSTALLED, "P:musl\nR:libc.so\n")));
    assertEquals(
        2, assertThrows(PackageDbException.class, () -> new ApkReader().read(noDir)).line());
  }
}
