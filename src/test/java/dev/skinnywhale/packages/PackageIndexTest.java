package dev.skinnywhale.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A database mapped onto its image: usr-merge, diversions, byte code, the essential core. */
class PackageIndexTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";

  @Test
  void owners_preUsrMergePaths_mappedThroughTheSymlinkedDirectories() {
    RootFs fs =
        DbFixture.usrMerged()
            .elf(LIB + "/libz.so.1.2.13")
            .link(LIB + "/libz.so.1", "libz.so.1.2.13")
            .dpkg(
                "zlib1g",
                "amd64",
                "Multi-Arch: same",
                "/lib",
                "/lib/x86_64-linux-gnu",
                "/lib/x86_64-linux-gnu/libz.so.1",
                "/lib/x86_64-linux-gnu/libz.so.1.2.13",
                "/lib/x86_64-linux-gnu/gone.so")
            .fs();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    InstalledPackage z = index.db().packages().get(0);
    assertEquals(List.of(z), index.owners(LIB + "/libz.so.1.2.13"));
    assertEquals(List.of(z), index.owners(LIB + "/libz.so.1"), "a symlink is owned as itself");
    OwnedPath so = index.files(z).get(4);
    assertEquals("/lib/x86_64-linux-gnu/libz.so.1.2.13", so.listed());
    assertEquals(LIB + "/libz.so.1.2.13", so.path());
    assertEquals(List.of("/lib"), so.hops());
    assertEquals(List.of(), index.owners("/lib"), "/lib is a directory the package shipped");
    assertTrue(index.files(z).get(1).isDirectory(), "/lib: a symlink to a directory");
    assertTrue(index.listed("/lib"));
    assertEquals(5, index.files(z).size(), "/., /lib, the directory and the two files");
  }

  @Test
  void owners_divertedFile_belongsWhereTheDiversionPutsIt() {
    RootFs fs =
        DbFixture.usrMerged()
            .elf("/usr/bin/dash")
            .link("/usr/bin/sh", "dash")
            .file("/usr/bin/sh.distrib", "#!/bin/bash\n")
            .file("/var/lib/dpkg/diversions", "/bin/sh\n/bin/sh.distrib\ndash\n")
            .dpkg("dash", "amd64", "Essential: yes", "/bin/dash", "/bin/sh")
            .dpkg("other", "amd64", "", "/bin/sh")
            .fs();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    assertEquals(List.of("dash"), names(index.owners("/usr/bin/sh")));
    assertEquals(List.of("other"), names(index.owners("/usr/bin/sh.distrib")));
  }

  @Test
  void owners_pythonByteCode_belongsToItsSourcesPackage() {
    String dir = "/usr/lib/python3.11/json";
    RootFs fs =
        DbFixture.usrMerged()
            .file(dir + "/decoder.py", "x = 1\n")
            .file(dir + "/__pycache__/decoder.cpython-311.pyc", "pyc")
            .file(dir + "/__pycache__/decoder.cpython-311.opt-1.pyc", "pyc")
            .file(dir + "/__pycache__/stray.cpython-311.pyc", "pyc")
            .dpkg("libpython3.11-stdlib", "amd64", "", dir + "/decoder.py")
            .fs();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    assertEquals(
        List.of("libpython3.11-stdlib"),
        names(index.owners(dir + "/__pycache__/decoder.cpython-311.pyc")));
    assertEquals(1, index.owners(dir + "/__pycache__/decoder.cpython-311.opt-1.pyc").size());
    assertEquals(List.of(), index.owners(dir + "/__pycache__/stray.cpython-311.pyc"));
    assertFalse(index.listed(dir + "/__pycache__/decoder.cpython-311.pyc"));
  }

  @Test
  void core_essentialAndRequiredWithTheirDependencies_butNotDataOnlyPackages() {
    RootFs fs =
        DbFixture.usrMerged()
            .elf(LIB + "/libc.so.6")
            .elf("/usr/bin/bash")
            .elf(LIB + "/libtinfo.so.6")
            .elf(LIB + "/libyaml.so")
            .file("/usr/share/zoneinfo/UTC", "TZif")
            .file("/usr/bin/debconf", "#!/usr/bin/perl\n".getBytes(), 0755)
            .dpkg("libc6", "amd64", "Priority: optional", "/lib/x86_64-linux-gnu/libc.so.6")
            .dpkg(
                "bash",
                "amd64",
                "Essential: yes\nPriority: required\nPre-Depends: libc6, libtinfo6 | libtinfo5",
                "/bin/bash")
            .dpkg("libtinfo6", "amd64", "Priority: optional", "/lib/x86_64-linux-gnu/libtinfo.so.6")
            .dpkg("tzdata", "all", "Priority: required", "/usr/share/zoneinfo/UTC")
            .dpkg("debconf", "all", "Priority: required", "/usr/bin/debconf")
            .dpkg("libyaml-0-2", "amd64", "Depends: libc6", "/lib/x86_64-linux-gnu/libyaml.so")
            .fs();
    PackageIndex index = PackageIndex.of(new DpkgReader().read(fs).orElseThrow(), fs);
    for (InstalledPackage p : index.db().packages()) {
      boolean core = List.of("libc6", "bash", "libtinfo6", "debconf").contains(p.name());
      assertEquals(core, index.isCore(p), p.name());
    }
  }

  private static List<String> names(List<InstalledPackage> packages) {
    return packages.stream().map(InstalledPackage::name).toList();
  }
}
