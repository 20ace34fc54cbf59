package dev.skinnywhale.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import org.junit.jupiter.api.Test;

class LdSoConfTest {
  @Test
  void read_includesCommentsHwcapAndCycles() {
    RootFs fs =
        new TestFs()
            .text(
                "/etc/ld.so.conf",
                """
                # top
                /usr/local/lib
                include /etc/ld.so.conf.d/*.conf
                hwcap 1 nosegneg
                /opt/last/
                """)
            .text("/etc/ld.so.conf.d/10-b.conf", "/opt/b1:/opt/b2,/opt/b3 /opt/b4=libc6\n")
            .text("/etc/ld.so.conf.d/02-a.conf", "/opt/a # a\ninclude ../ld.so.conf\n")
            .text("/etc/ld.so.conf.d/.hidden.conf", "/opt/hidden\n")
            .text("/etc/ld.so.conf.d/x.conf.disabled", "/opt/disabled\n")
            .link("/etc/ld.so.conf.d/20-link.conf", "/srv/real.conf")
            .text("/srv/real.conf", "/opt/linked\n")
            .build();
    LdSoConf conf = LdSoConf.read(fs, "/etc/ld.so.conf");
    assertEquals(
        List.of(
            "/usr/local/lib",
            "/opt/a",
            "/opt/b1",
            "/opt/b2",
            "/opt/b3",
            "/opt/b4",
            "/opt/linked",
            "/opt/last"),
        conf.directories());
  }

  @Test
  void read_globInSymlinkedDirectory() {
    RootFs fs =
        new TestFs()
            .text("/etc/ld.so.conf", "include conf.d/*.conf\n")
            .link("/etc/conf.d", "/srv/confs")
            .text("/srv/confs/a.conf", "/opt/a\n")
            .build();
    assertEquals(List.of("/opt/a"), LdSoConf.read(fs, "/etc/ld.so.conf").directories());
  }

  @Test
  void read_missingFile_empty() {
    assertEquals(List.of(), LdSoConf.read(new TestFs().build(), "/etc/ld.so.conf").directories());
  }

  @Test
  void globToRegex_brackets() {
    assertEquals(true, "a1.conf".matches(LdSoConf.globToRegex("a[0-9].conf")));
    assertEquals(false, "a1.conf".matches(LdSoConf.globToRegex("a[!0-9].conf")));
    assertEquals(true, "ab.conf".matches(LdSoConf.globToRegex("a?.conf")));
  }
}
