package dev.skinnywhale.workflow.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.assemble.KeepEntry;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.packages.DbFixture;
import dev.skinnywhale.rootfs.RootFs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user's own files, the change set's directories and the runtime basics. */
class UserContentContributorsTest {
  static RootFs image() {
    return DbFixture.usrMerged()
        .dir("/opt/app")
        .file("/opt/app/app.jar", "PK")
        .file("/opt/app/data.txt", "data")
        .dir("/var/lib/myservice")
        .dir("/var/log/myservice")
        .file("/var/log/myservice/start.log", "log")
        .file("/var/cache/apt/pkgcache.bin", "cache")
        .file("/usr/share/doc/app/README", "docs")
        .file("/usr/share/mime/text/plain.xml", "<mime/>")
        .file("/usr/bin/tool", "#!/bin/sh\n")
        .file("/usr/lib/python3/dist-packages/x.py", "x = 1\n")
        .file("/usr/lib/python3/dist-packages/__pycache__/x.cpython-311.pyc", "pyc")
        .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        .file("/etc/group", "root:x:0:\n")
        .file("/etc/nsswitch.conf", "passwd: files\n")
        .file("/etc/ld.so.cache", "cache")
        .dir("/etc/ld.so.conf.d")
        .file("/etc/ld.so.conf.d/x86_64-linux-gnu.conf", "/usr/local/lib\n")
        .link("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC")
        .file("/usr/share/zoneinfo/Etc/UTC", "TZif")
        .dir("/usr/lib/locale/C.utf8/LC_MESSAGES")
        .file("/usr/lib/locale/C.utf8/LC_CTYPE", "ctype")
        .dir("/var/tmp")
        .dpkg("tool", "amd64", "", "/usr", "/usr/bin", "/usr/bin/tool")
        .dpkg("py", "all", "", "/usr/lib/python3/dist-packages/x.py")
        .fs();
  }

  static final String[] CHANGES = {
    "/opt",
    "/opt/app",
    "/opt/app/app.jar",
    "/opt/app/data.txt",
    "/var/lib/myservice",
    "/var/log/myservice",
    "/var/log/myservice/start.log",
    "/var/cache/apt/pkgcache.bin",
    "/usr/share/doc/app/README",
    "/usr/share/mime/text/plain.xml",
    "/usr/bin/tool",
    "/usr/lib/python3/dist-packages/__pycache__/x.cpython-311.pyc",
    "/var/lib/dpkg/status"
  };

  static Map<String, KeepEntry> run(KeepContributor c, Snapshot s) {
    KeepPlan.Builder plan = KeepPlan.builder();
    c.contribute(s, plan, TraceFixture.QUIET);
    return plan.build().entries();
  }

  @Test
  void userFiles_changeSetFilesOfNoPackage_notStateCachesLogsDocsOrByteCode() {
    Map<String, KeepEntry> kept =
        run(new UserFilesContributor(true), PackageSnapshots.aboveBase(image(), CHANGES));
    assertEquals(
        java.util.Set.of("/opt/app/app.jar", "/opt/app/data.txt"), kept.keySet(), kept.toString());
    assertTrue(kept.get("/opt/app/app.jar").reasons().contains(Reason.USER_FILE));
    Map<String, KeepEntry> noDefaults =
        run(new UserFilesContributor(false), PackageSnapshots.aboveBase(image(), CHANGES));
    assertTrue(noDefaults.containsKey("/usr/share/doc/app/README"), "--no-default-excludes");
    assertFalse(noDefaults.containsKey("/var/log/myservice/start.log"), "logs, always");
  }

  @Test
  void userFiles_wholeImage_theFilesNoPackageLists_onlyWithADatabase() {
    Map<String, KeepEntry> kept =
        run(new UserFilesContributor(true), PackageSnapshots.wholeImage(image(), true));
    assertTrue(kept.containsKey("/opt/app/app.jar"), kept.toString());
    assertTrue(kept.containsKey("/etc/passwd"), kept.toString());
    assertFalse(kept.containsKey("/usr/bin/tool"), "a package's");
    assertFalse(kept.containsKey("/var/lib/dpkg/status"), "the package manager's state");
    assertEquals(
        Map.of(), run(new UserFilesContributor(true), PackageSnapshots.wholeImage(image(), false)));
  }

  @Test
  void changeSetDirs_keptEmpty_inEveryStrategy() {
    Map<String, KeepEntry> kept =
        run(new ChangeSetDirsContributor(), PackageSnapshots.aboveBase(image(), CHANGES));
    assertEquals(
        java.util.Set.of("/opt", "/opt/app", "/var/lib/myservice", "/var/log/myservice"),
        kept.keySet());
    assertFalse(kept.get("/var/log/myservice").recursive());
    Map<String, KeepEntry> whole =
        run(new ChangeSetDirsContributor(), PackageSnapshots.wholeImage(image(), true));
    assertTrue(whole.containsKey("/var/lib/myservice"), "a directory no package lists");
    assertFalse(whole.containsKey("/usr/bin"), "listed by tool");
  }

  @Test
  void runtimeBasics_userDatabaseLoaderLocaleLocaltimeAndScratchDirs() {
    Map<String, KeepEntry> kept =
        run(new RuntimeBasicsContributor(), PackageSnapshots.wholeImage(image(), false));
    for (String p :
        java.util.List.of(
            "/etc/passwd",
            "/etc/group",
            "/etc/nsswitch.conf",
            "/etc/ld.so.cache",
            "/usr/share/zoneinfo/Etc/UTC",
            "/tmp",
            "/var/tmp")) {
      assertTrue(kept.get(p).reasons().contains(Reason.BASICS), p + ": " + kept);
    }
    assertTrue(kept.get("/etc/localtime").reasons().contains(Reason.SYMLINK_HOP));
    assertTrue(kept.get("/etc/ld.so.conf.d").recursive());
    assertTrue(kept.get("/usr/lib/locale/C.utf8").recursive());
    assertFalse(kept.get("/tmp").recursive(), "/tmp empty");
    assertFalse(kept.containsKey("/etc/host.conf"), "not in the image, not asked for");
  }
}
