package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileGlobTest {
  @ParameterizedTest
  @CsvSource({
    "/usr/lib/jvm/*/lib/server/libjvm.so, /usr/lib/jvm/j17/lib/server/libjvm.so, true",
    "/usr/lib/jvm/*/lib/server/libjvm.so, /usr/lib/jvm/a/b/lib/server/libjvm.so, false",
    "/usr/lib/jvm/*/lib/*.so, /usr/lib/jvm/j/lib/libnet.so, true",
    "/usr/lib/jvm/*/lib/*.so, /usr/lib/jvm/j/lib/server/libjvm.so, false",
    "/usr/share/zoneinfo/**, /usr/share/zoneinfo/Europe/Paris, true",
    "/usr/share/zoneinfo/**, /usr/share/zoneinfo, true",
    "/usr/share/zoneinfo, /usr/share/zoneinfo/Europe/Paris, true",
    "/usr/share/zoneinfo, /usr/share/zoneinfoX, false",
    "**/libjvm.so, /opt/java/lib/server/libjvm.so, true",
    "**/libjvm.so, /libjvm.so, true",
    "**/libjvm.so, /opt/libjvm.so.1, false",
    "/usr/**/bin/python3*, /usr/bin/python3.11, true",
    "/usr/**/bin/python3*, /usr/local/bin/python3, true",
    "/usr/**/lib*/python3*/**, /usr/local/lib/python3.12/os.py, true",
    "/usr/**/lib*/python3*/**, /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0, false",
    "/lib/*/libnss_*.so*, /lib/x86_64-linux-gnu/libnss_dns.so.2, true",
    "/etc/host?.conf, /etc/hosts.conf, true",
    "/etc/host?.conf, /etc/host/.conf, false",
    "/a.b/c+d, /a.b/c+d, true",
    "/a.b/c+d, /aXb/c+d, false",
  })
  void matches_table(String pattern, String path, boolean expected) {
    assertEquals(expected, new ProfileGlob(pattern).matches(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lib/x", "/", "/**", "**", "/a//b", "/a/../b", "/a/./b", "/a/"})
  void new_badPattern_throws(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> new ProfileGlob(pattern));
  }

  @ParameterizedTest
  @CsvSource({
    "/lib/*/libnss_*.so*, /lib",
    "/usr/lib/jvm/*/lib/modules, /usr/lib/jvm",
    "/etc/hosts, /etc",
    "/*/x, /",
    "**/libjvm.so, /",
  })
  void literalPrefix_table(String pattern, String prefix) {
    assertEquals(prefix, new ProfileGlob(pattern).literalPrefix());
  }
}
