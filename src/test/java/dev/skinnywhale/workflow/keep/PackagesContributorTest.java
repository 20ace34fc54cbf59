package dev.skinnywhale.workflow.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.DbFixture;
import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which packages are kept whole, and which stay at file level. */
class PackagesContributorTest {
  static final String LIB = "/usr/lib/x86_64-linux-gnu";
  static final String CODERS = LIB + "/ImageMagick-6/coders";

  /**
   * bash (essential) needs libc6, so libc6 is core; the user installed "im" (its files list is in
   * the change set), which depends on libmagick (auto); "base-tool" came with the base.
   */
  static RootFs image() {
    return DbFixture.usrMerged()
        .elf(LIB + "/libc.so.6")
        .elf(LIB + "/gconv/BIG5.so")
        .elf("/usr/bin/bash")
        .elf("/usr/bin/convert")
        .elf(LIB + "/libMagickCore.so.6")
        .elf(CODERS + "/png.so")
        .elf(CODERS + "/jpeg.so")
        .file("/usr/share/doc/libmagick/copyright", "c")
        .file("/usr/share/locale/de/LC_MESSAGES/magick.mo", "mo")
        .file("/etc/ImageMagick-6/policy.xml", "<policy/>")
        .elf("/usr/bin/base-tool")
        .elf("/usr/bin/helper")
        .dpkg(
            "libc6",
            "amd64",
            "Multi-Arch: same",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib/x86_64-linux-gnu/gconv/BIG5.so")
        .dpkg("bash", "amd64", "Essential: yes\nPriority: required\nDepends: libc6", "/bin/bash")
        .dpkg("im", "amd64", "Depends: libmagick, libc6", "/usr/bin/convert")
        .dpkg(
            "libmagick",
            "amd64",
            "Depends: im-common",
            "/usr/lib/x86_64-linux-gnu/libMagickCore.so.6",
            CODERS,
            CODERS + "/png.so",
            CODERS + "/jpeg.so",
            "/usr/share/doc/libmagick/copyright",
            "/usr/share/locale/de/LC_MESSAGES/magick.mo")
        .dpkg("im-common", "all", "", "/etc/ImageMagick-6/policy.xml")
        .dpkg("base-tool", "amd64", "Priority: important", "/usr/bin/base-tool")
        .dpkg("helper", "amd64", "", "/usr/bin/helper")
        .auto("libmagick", "amd64")
        .auto("im-common", "amd64")
        .auto("helper", "amd64")
        .fs();
  }

  static Map<String, KeepEntry> run(Snapshot s, PackagesContributor c, String... kept) {
    KeepPlan.Builder plan = KeepPlan.builder();
    for (String k : kept) {
      plan.add(k, Reason.TRACED);
    }
    c.contribute(s, plan, TraceFixture.QUIET);
    return plan.build().entries();
  }

  static PackagesContributor packages() {
    return new PackagesContributor(true, false, List.of(), List.of());
  }

  @Test
  void contribute_askedPackageWithItsDependencies_wholeButDocs() {
    Snapshot s = PackageSnapshots.aboveBase(image(), "/var/lib/dpkg/info/im.list");
    Map<String, KeepEntry> kept = run(s, packages());
    assertTrue(kept.get("/usr/bin/convert").reasons().contains(Reason.PACKAGE));
    assertTrue(kept.containsKey(CODERS + "/png.so"), "a dependency's module kept");
    assertTrue(kept.containsKey(CODERS + "/jpeg.so"));
    assertTrue(kept.containsKey(CODERS), "its directories too");
    assertTrue(kept.containsKey("/etc/ImageMagick-6/policy.xml"), "a dependency of a dependency");
    assertFalse(kept.containsKey("/usr/share/doc/libmagick/copyright"), "docs");
    assertFalse(kept.containsKey("/usr/share/locale/de/LC_MESSAGES/magick.mo"), "catalogs");
    assertFalse(kept.containsKey(LIB + "/gconv/BIG5.so"), "the core stays at file level");
    assertFalse(kept.containsKey("/usr/bin/base-tool"), "a package of the base");
    assertFalse(kept.containsKey("/usr/bin/helper"), "installed as a dependency of nothing kept");
  }

  @Test
  void contribute_ownerOfAKeptFileKeptWhole_coreOwnerNot() {
    Snapshot s = PackageSnapshots.aboveBase(image());
    Map<String, KeepEntry> kept =
        run(
            s,
            packages(),
            "/usr/bin/helper",
            LIB + "/libc.so.6",
            "/lib/x86_64-linux-gnu/libMagickCore.so.6");
    assertTrue(kept.containsKey(CODERS + "/png.so"), "the owner of a library reached via /lib");
    assertTrue(kept.containsKey("/etc/ImageMagick-6/policy.xml"), "what a kept package depends on");
    assertFalse(kept.containsKey(LIB + "/gconv/BIG5.so"), "libc6 is core");
    assertFalse(kept.containsKey("/usr/bin/convert"), "nothing asked for im, nothing of it kept");
  }

  @Test
  void contribute_excludeAndIncludePackages_keepDocs() {
    Snapshot s = PackageSnapshots.aboveBase(image(), "/var/lib/dpkg/info/im.list");
    Map<String, KeepEntry> excluded =
        run(s, new PackagesContributor(true, false, List.of("libmag*"), List.of()));
    assertTrue(excluded.containsKey("/usr/bin/convert"));
    assertFalse(excluded.containsKey(CODERS + "/png.so"), "--exclude-package libmag*");
    assertFalse(excluded.containsKey("/etc/ImageMagick-6/policy.xml"), "nor through it");

    Map<String, KeepEntry> included =
        run(s, new PackagesContributor(false, true, List.of(), List.of("libc6:amd64")));
    assertTrue(included.containsKey(LIB + "/gconv/BIG5.so"), "--include-package of the core");
    assertFalse(included.containsKey("/usr/bin/convert"), "traced: nothing else expanded");

    Map<String, KeepEntry> docs = run(s, new PackagesContributor(true, true, List.of(), List.of()));
    assertTrue(docs.containsKey("/usr/share/doc/libmagick/copyright"), "--keep-docs");
  }

  @Test
  void contribute_wholeImage_askedMeansNotOfTheBasePriorities() {
    Snapshot s = PackageSnapshots.wholeImage(image(), true);
    Map<String, KeepEntry> kept = run(s, packages());
    assertTrue(kept.containsKey("/usr/bin/convert"), "installed by hand, priority unknown");
    assertFalse(kept.containsKey("/usr/bin/base-tool"), "Priority: important, of a base system");
  }

  @Test
  void contribute_noDatabase_nothing() {
    KeepPlan.Builder plan = KeepPlan.builder();
    packages().contribute(PackageSnapshots.wholeImage(image(), false), plan, TraceFixture.QUIET);
    assertEquals(Map.of(), plan.build().entries());
  }
}
