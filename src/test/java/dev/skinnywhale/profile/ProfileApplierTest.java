package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProfileApplierTest {
  private static FsNode file(String path) {
    return new FsNode.RegularFile(
        path, NodeMeta.of(0644), new BytesBlob(path.getBytes(StandardCharsets.UTF_8)));
  }

  private static FsNode link(String path, String target) {
    return new FsNode.Symlink(path, NodeMeta.of(0777), target);
  }

  /** A usr-merged image: /lib is a symlink to usr/lib. */
  private static RootFs image() {
    return RootFs.of(
        List.of(
            link("/lib", "usr/lib"),
            file("/usr/lib/x86_64-linux-gnu/libc.so.6"),
            file("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
            file("/usr/lib/x86_64-linux-gnu/libnss_dns.so.2"),
            file("/usr/lib/jvm/j17/lib/server/libjvm.so"),
            file("/usr/lib/jvm/j17/lib/libnet.so"),
            link("/usr/lib/jvm/j17/lib/security/cacerts", "/etc/ssl/certs/java/cacerts"),
            file("/etc/ssl/certs/java/cacerts"),
            file("/usr/share/zoneinfo/Europe/Paris"),
            file("/usr/share/zoneinfo/UTC"),
            file("/etc/hosts")));
  }

  @Test
  void apply_literalGlobAndMissing_keepsWhatExistsAndReportsTheRest() {
    Profile p =
        Fixtures.handWritten(
            "t",
            List.of(),
            List.of(
                ProfileEntry.of("/etc/hosts", EntryType.FILE, Why.OPENED),
                ProfileEntry.of("/etc/gai.conf", EntryType.FILE, Why.INCLUDE),
                ProfileEntry.of("/usr/share/zoneinfo/**", EntryType.GLOB, Why.INCLUDE),
                ProfileEntry.of("/usr/share/i18n/**", EntryType.GLOB, Why.INCLUDE)));
    ProfileApplier.Applied applied = ProfileApplier.apply(image(), p);
    assertEquals(
        new TreeSet<>(
            Set.of(
                "/etc/hosts",
                "/usr/share/zoneinfo",
                "/usr/share/zoneinfo/Europe",
                "/usr/share/zoneinfo/Europe/Paris",
                "/usr/share/zoneinfo/UTC")),
        applied.paths());
    assertEquals(List.of("/etc/gai.conf", "/usr/share/i18n/**"), applied.missing());
  }

  @Test
  void apply_globBelowSymlinkedDirectory_matchesTheTargetAndKeepsTheLink() {
    Profile p =
        Fixtures.handWritten(
            "nss",
            List.of(),
            List.of(ProfileEntry.of("/lib/*/libnss_*.so*", EntryType.GLOB, Why.OPENED)));
    ProfileApplier.Applied applied = ProfileApplier.apply(image(), p);
    assertEquals(
        List.of(
            "/lib",
            "/usr/lib",
            "/usr/lib/x86_64-linux-gnu/libnss_dns.so.2",
            "/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
        List.copyOf(applied.paths()));
    assertEquals(List.of(), applied.missing());
  }

  /** A literal entry through a usr-merged /lib is found, and the link crossed is kept. */
  @Test
  void apply_literalBelowSymlinkedDirectory_foundWithTheLink() {
    Profile p =
        Fixtures.handWritten(
            "nss",
            List.of(),
            List.of(
                ProfileEntry.of(
                    "/lib/x86_64-linux-gnu/libnss_files.so.2", EntryType.FILE, Why.OPENED)));
    ProfileApplier.Applied applied = ProfileApplier.apply(image(), p);
    assertEquals(List.of(), applied.missing());
    assertTrue(applied.paths().contains("/lib"), applied.paths().toString());
    assertTrue(
        applied.paths().contains("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
        applied.paths().toString());
  }

  @Test
  void apply_keptSymlink_bringsItsTarget() {
    Profile p =
        Fixtures.handWritten(
            "jvm",
            List.of(),
            List.of(ProfileEntry.of("/usr/lib/jvm/*/lib/security/**", EntryType.GLOB, Why.OPENED)));
    ProfileApplier.Applied applied = ProfileApplier.apply(image(), p);
    assertEquals(
        List.of(
            "/etc/ssl/certs/java/cacerts",
            "/usr/lib/jvm/j17/lib/security",
            "/usr/lib/jvm/j17/lib/security/cacerts"),
        List.copyOf(applied.paths()));
  }

  @Test
  void apply_literalSymlinkEntry_isLookedUpWithoutFollowing() {
    RootFs fs = RootFs.of(List.of(link("/etc/localtime", "/usr/share/zoneinfo/Nowhere")));
    Profile p =
        Fixtures.handWritten(
            "tz",
            List.of(),
            List.of(ProfileEntry.of("/etc/localtime", EntryType.SYMLINK, Why.OPENED)));
    ProfileApplier.Applied applied = ProfileApplier.apply(fs, p);
    assertEquals(List.of("/etc/localtime"), List.copyOf(applied.paths()));
    assertEquals(List.of(), applied.missing());
  }

  @Test
  void auto_picksProfilesWhoseMarkersMatch() {
    Profile jvm = Fixtures.handWritten("jvm", List.of("**/libjvm.so"), List.of());
    Profile python = Fixtures.handWritten("python3", List.of("/usr/bin/python3*"), List.of());
    Profile nss =
        Fixtures.handWritten(
            "glibc-nss", List.of("/lib/*/libc.so.6", "/lib64/libc.so.6"), List.of());
    Profile tz = Fixtures.handWritten("tzdata", List.of("/usr/share/zoneinfo"), List.of());
    assertEquals(
        List.of(jvm, nss, tz), ProfileApplier.auto(image(), List.of(jvm, python, nss, tz)));
  }
}
