package dev.skinnywhale.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dpkg's database on generated images: names, files lists, apt's marks, and broken files. */
class DpkgReaderTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";

  static DbFixture image() {
    return DbFixture.usrMerged()
        .elf(LIB + "/libc.so.6")
        .dpkg(
            "libc6",
            "amd64",
            "Priority: optional\nMulti-Arch: same\nDepends: libgcc-s1",
            "/lib",
            "/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu/libc.so.6")
        .dpkg(
            "bash",
            "amd64",
            "Essential: yes\nPriority: required\nPre-Depends: libc6 (>= 2.36), libtinfo6 (>= 6)",
            "/bin",
            "/bin/bash")
        .dpkg("media-types", "all", "Priority: standard", "/etc/mime.types")
        .auto("media-types", "amd64")
        .auto("libc6", "amd64");
  }

  @Test
  void read_packagesWithVersionsArchitecturesAndRelations() {
    PackageDb db = new DpkgReader().read(image().fs()).orElseThrow();
    assertEquals(PackageDb.Kind.DPKG, db.kind());
    assertEquals(
        List.of("libc6:amd64", "bash:amd64", "media-types:all"),
        db.packages().stream().map(InstalledPackage::key).toList());
    InstalledPackage bash = db.byKey("bash:amd64").orElseThrow();
    assertTrue(bash.essential());
    assertTrue(bash.requiredOrEssential());
    assertEquals(List.of(List.of("libc6"), List.of("libtinfo6")), bash.depends());
    assertEquals("1.0-1", bash.version());
    assertTrue(bash.record().startsWith("Package: bash\n"), bash.record());
  }

  @Test
  void read_multiArchPackage_filesListNamedWithItsArchitecture() {
    PackageDb db = new DpkgReader().read(image().fs()).orElseThrow();
    InstalledPackage libc = db.byKey("libc6:amd64").orElseThrow();
    assertEquals("libc6:amd64", libc.infoName());
    assertEquals(
        List.of("/.", "/lib", "/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu/libc.so.6"),
        libc.files());
    assertEquals("bash", db.byKey("bash:amd64").orElseThrow().infoName());
  }

  @Test
  void read_extendedStates_marksDependencies_archAllByName() {
    PackageDb db = new DpkgReader().read(image().fs()).orElseThrow();
    assertTrue(db.byKey("libc6:amd64").orElseThrow().auto());
    assertTrue(db.byKey("media-types:all").orElseThrow().auto(), "recorded as amd64 by apt");
    assertFalse(db.byKey("bash:amd64").orElseThrow().auto());
  }

  @Test
  void read_conffilesAndDiversions() {
    DbFixture f =
        image()
            .dpkg(
                "nginx-common",
                "all",
                "Conffiles:\n /etc/nginx/nginx.conf 0123abcd\n /etc/nginx/mime.types 4567ef obsolete",
                "/etc/nginx/nginx.conf")
            .file(
                "/var/lib/dpkg/diversions",
                "/bin/sh\n/bin/sh.distrib\ndash\n/usr/bin/x\n/usr/bin/x.real\n:\n");
    PackageDb db = new DpkgReader().read(f.fs()).orElseThrow();
    assertEquals(
        List.of("/etc/nginx/nginx.conf", "/etc/nginx/mime.types"),
        db.byKey("nginx-common:all").orElseThrow().conffiles());
    Diversion sh = db.diversionOf("/bin/sh").orElseThrow();
    assertEquals("/bin/sh.distrib", sh.to());
    assertFalse(sh.appliesTo("dash"), "the diverting package's own file stays");
    assertTrue(sh.appliesTo("bash"));
    assertTrue(db.diversionOf("/usr/bin/x").orElseThrow().appliesTo("anything"), "local");
  }

  @Test
  void read_noStatusFile_noDatabase() {
    assertEquals(Optional.empty(), new DpkgReader().read(DbFixture.usrMerged().fs()));
  }

  @Test
  void read_notInstalledRecords_skipped() {
    DbFixture f = image();
    RootFs fs =
        RootFs.of(
            List.of(
                DbFixture.text(
                    "/var/lib/dpkg/status",
                    f.status()
                        + "Package: gone\nStatus: purge ok not-installed\nArchitecture: amd64\n")));
    PackageDb db = new DpkgReader().read(fs).orElseThrow();
    assertTrue(db.byKey("gone:amd64").isEmpty());
  }

  @Test
  void read_lineThatIsNoField_errorNamesFileAndLine() {
    RootFs fs =
        RootFs.of(
            List.of(
                DbFixture.text(
                    "/var/lib/dpkg/status",
                    "Package: a\nStatus: install ok installed\nthis line is broken\n")));
    PackageDbException e = assertThrows(PackageDbException.class, () -> new DpkgReader().read(fs));
    assertEquals("/var/lib/dpkg/status", e.file());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith("/var/lib/dpkg/status:3: "), e.getMessage());
    assertTrue(e.getMessage().contains("this line is broken"), e.getMessage());
  }

  @Test
  void read_brokenRecords_eachNamesItsLine() {
    assertLine(" continued\nPackage: a\n", 1, "continuation line outside a field");
    assertLine("Package: a\nStatus: install ok\n", 2, "three words");
    assertLine("Status: install ok installed\n\n", 1, "without a Package field");
    assertLine("Package: a\nStatus: install ok installed\nPackage: b\n", 3, "given twice");
  }

  @Test
  void read_brokenDiversions_errorNamesTheFile() {
    DbFixture f = image().file("/var/lib/dpkg/diversions", "/bin/sh\n/bin/sh.distrib\n");
    PackageDbException e =
        assertThrows(PackageDbException.class, () -> new DpkgReader().read(f.fs()));
    assertEquals("/var/lib/dpkg/diversions", e.file());
    assertTrue(e.getMessage().contains("in threes"), e.getMessage());
  }

  @Test
  void read_filesListWithARelativePath_errorNamesListAndLine() {
    DbFixture f = image().file("/var/lib/dpkg/info/bash.list", "/.\n/bin\nbin/bash\n");
    PackageDbException e =
        assertThrows(PackageDbException.class, () -> new DpkgReader().read(f.fs()));
    assertEquals("/var/lib/dpkg/info/bash.list", e.file());
    assertEquals(3, e.line());
  }

  @Test
  void read_budgets_statusSizePackagesAndPaths() {
    RootFs fs = image().fs();
    PackageDbException big =
        assertThrows(
            PackageDbException.class,
            () -> new DpkgReader(new DbLimits(100, 1 << 20, 100, 100, 1000, 100)).read(fs));
    assertTrue(big.getMessage().contains("more than the limit of 100"), big.getMessage());
    assertEquals("/var/lib/dpkg/status", big.file());
    PackageDbException many =
        assertThrows(
            PackageDbException.class,
            () -> new DpkgReader(new DbLimits(1 << 20, 1 << 20, 2, 100, 1000, 100)).read(fs));
    assertTrue(many.getMessage().contains("more than 2 records"), many.getMessage());
    PackageDbException paths =
        assertThrows(
            PackageDbException.class,
            () -> new DpkgReader(new DbLimits(1 << 20, 1 << 20, 100, 3, 1000, 100)).read(fs));
    assertTrue(paths.getMessage().contains("more than 3 paths"), paths.getMessage());
    PackageDbException total =
        assertThrows(
            PackageDbException.class,
            () -> new DpkgReader(new DbLimits(1 << 20, 700, 100, 100, 1000, 100)).read(fs));
    assertTrue(total.getMessage().contains("limit of 700 bytes"), total.getMessage());
  }

  private static void assertLine(String status, int line, String problem) {
    RootFs fs = RootFs.of(List.of(DbFixture.text("/var/lib/dpkg/status", status)));
    PackageDbException e =
        assertThrows(PackageDbException.class, () -> new DpkgReader().read(fs), status);
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
