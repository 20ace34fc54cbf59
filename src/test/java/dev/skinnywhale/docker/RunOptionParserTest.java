package dev.skinnywhale.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.RunOptions.Mount;
import dev.skinnywhale.docker.RunOptions.MountType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe's {@code docker run} options: docker's syntax, read-only mounts, privileges refused.
 */
class RunOptionParserTest {
  @Test
  void testAddHost() {
    assertEquals("db:192.0.2.10", RunOptionParser.addHost("db:192.0.2.10"));
    assertEquals("db:192.0.2.10", RunOptionParser.addHost("db=192.0.2.10"));
    assertEquals("v6:2001:db8::1", RunOptionParser.addHost("v6:2001:db8::1"));
    assertEquals("gw:host-gateway", RunOptionParser.addHost("gw:host-gateway"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"db", ":192.0.2.10", "db:", "db:example.com", "db:256.1.1.1", "a b:1.2.3.4"})
  void testAddHost_bad(String value) {
    assertThrows(IllegalArgumentException.class, () -> RunOptionParser.addHost(value));
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.10,true",
    "0.0.0.0,true",
    "01.2.3.4,false",
    "1.2.3,false",
    "::1,true",
    "::,true",
    "2001:db8::ff00:42:8329,true",
    "::ffff:192.0.2.1,true",
    "1:2:3:4:5:6:7:8,true",
    "1:2:3:4:5:6:7:8:9,false",
    "1::2::3,false",
    "12345::1,false",
    "localhost,false",
  })
  void testIpLiteral(String text, boolean valid) {
    assertEquals(valid, IpLiteral.valid(text), text);
  }

  @Test
  void testTmpfs() {
    assertEquals(new RunOptions.Tmpfs("/scratch", ""), RunOptionParser.tmpfs("/scratch/"));
    assertEquals(
        new RunOptions.Tmpfs("/run", "size=64m,mode=1777,noexec"),
        RunOptionParser.tmpfs("/run:size=64m,mode=1777,noexec"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "scratch|not an absolute path",
        "/|cannot mount over /",
        "/a/../b|'..'",
        "/x:dev|dev is refused",
        "/x:suid|suid is refused",
        "/x:size=huge|unknown option size=huge",
        "/x:bogus|unknown option bogus",
        "/.skinnywhale-probe|skinnywhale's own",
      })
  void testTmpfs_bad(String value, String reason) {
    assertRefused(RunOptionParser::tmpfs, value, reason);
  }

  @Test
  void testVolume_bindIsReadOnlyUnlessRw() {
    Mount ro = RunOptionParser.volume("/srv/fixtures:/fixtures");
    assertEquals(MountType.BIND, ro.type());
    assertEquals(Optional.of("/srv/fixtures"), ro.source());
    assertEquals("/fixtures", ro.target());
    assertTrue(ro.readOnly());
    assertFalse(RunOptionParser.volume("/srv/fixtures:/fixtures:rw").readOnly());
    assertTrue(RunOptionParser.volume("/srv/fixtures:/fixtures:ro,rslave").readOnly());
    assertEquals(Optional.of("rslave"), RunOptionParser.volume("/srv/f:/f:rslave").propagation());
  }

  @Test
  void testVolume_namedAndAnonymous() {
    Mount named = RunOptionParser.volume("data:/data:nocopy");
    assertEquals(MountType.VOLUME, named.type());
    assertEquals(Optional.of("data"), named.source());
    assertTrue(named.noCopy());
    Mount anonymous = RunOptionParser.volume("/cache");
    assertEquals(MountType.VOLUME, anonymous.type());
    assertEquals(Optional.empty(), anonymous.source());
    assertEquals("/cache", anonymous.target());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/var/run/docker.sock:/sock|engine's socket",
        "/run/containerd/containerd.sock:/s|engine's socket",
        "/home/me/podman.sock:/s|engine's socket",
        "/dev/sda:/disk|devices or kernel interfaces",
        "/proc:/hostproc|devices or kernel interfaces",
        "/sys/fs/cgroup:/cg|devices or kernel interfaces",
        "/:/host|the host's whole filesystem",
        "/srv:/x:z|relabels the host's files",
        "/srv:/x:Z|relabels the host's files",
        "/srv:/x:rshared|propagation is refused",
        "/srv:/x:shared|propagation is refused",
        "/srv:/x:bogus|unknown option bogus",
        "/srv:/x:nocopy|nocopy applies to volumes",
        "/srv:rel|not an absolute path",
        "a:b:c:d|wants [SOURCE:]TARGET[:OPTIONS]",
        "bad name!:/x|neither an absolute host path nor a volume name",
        "/srv:/|cannot mount over /",
      })
  void testVolume_bad(String value, String reason) {
    assertRefused(RunOptionParser::volume, value, reason);
  }

  @Test
  void testMount_forms() {
    Mount bind = RunOptionParser.mount("type=bind,src=/srv/f,dst=/f");
    assertEquals(MountType.BIND, bind.type());
    assertTrue(bind.readOnly(), "read-only unless asked");
    assertFalse(
        RunOptionParser.mount("type=bind,source=/srv/f,target=/f,readonly=false").readOnly());
    assertTrue(RunOptionParser.mount("type=bind,source=/srv/f,target=/f,ro").readOnly());
    Mount volume = RunOptionParser.mount("source=data,destination=/d,volume-nocopy");
    assertEquals(MountType.VOLUME, volume.type());
    assertTrue(volume.noCopy());
    Mount tmpfs = RunOptionParser.mount("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770");
    assertEquals(MountType.TMPFS, tmpfs.type());
    assertFalse(tmpfs.readOnly());
    assertEquals(Optional.of(64L << 20), tmpfs.tmpfsSize());
    assertEquals(Optional.of(01770), tmpfs.tmpfsMode());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "type=bind,target=/f|a bind mount needs a source",
        "type=bind,source=/srv|a target is required",
        "type=nfs,target=/f|not one of bind, volume, tmpfs",
        "type=bind,source=/var/run/docker.sock,target=/s|engine's socket",
        "type=bind,source=/dev,target=/d|devices or kernel interfaces",
        "type=volume,source=v,target=/v,volume-driver=local|a driver could mount anything",
        "type=volume,source=v,target=/v,volume-opt=device=/dev/sda|a driver could mount",
        "type=bind,source=/srv,target=/s,bind-propagation=rshared|propagation is refused",
        "type=tmpfs,source=/x,target=/t|a tmpfs has no source",
        "type=tmpfs,target=/t,readonly|a read-only tmpfs",
        "type=bind,source=/srv,target=/s,tmpfs-size=1m|tmpfs options apply to tmpfs mounts",
        "type=bind,source=/srv,target=/s,target=/t|target given twice",
        "type=bind,source=/srv,target=/s,readonly=maybe|not a boolean",
        "type=bind,source=/srv,target=/s,bogus=1|unknown option bogus",
      })
  void testMount_bad(String value, String reason) {
    assertRefused(RunOptionParser::mount, value, reason);
  }

  @Test
  void testShmSizeAndUlimit() {
    assertEquals(64L << 20, RunOptionParser.shmSize("64m"));
    assertEquals(1L << 30, RunOptionParser.shmSize("1g"));
    assertEquals(1L << 30, RunOptionParser.shmSize("1GiB"));
    assertEquals(512, RunOptionParser.shmSize("512"));
    assertThrows(IllegalArgumentException.class, () -> RunOptionParser.shmSize("0"));
    assertThrows(IllegalArgumentException.class, () -> RunOptionParser.shmSize("lots"));
    assertEquals(
        new RunOptions.Ulimit("nofile", 1024, 2048), RunOptionParser.ulimit("nofile=1024:2048"));
    assertEquals(new RunOptions.Ulimit("nproc", 64, 64), RunOptionParser.ulimit("nproc=64"));
    assertEquals(new RunOptions.Ulimit("core", -1, -1), RunOptionParser.ulimit("core=-1"));
    assertRefused(RunOptionParser::ulimit, "nofile=2048:1024", "above the hard limit");
    assertRefused(RunOptionParser::ulimit, "bogus=1", "unknown limit bogus");
    assertRefused(RunOptionParser::ulimit, "nofile", "wants NAME=SOFT[:HARD]");
    assertRefused(RunOptionParser::ulimit, "nofile=x", "not a number");
  }

  @Test
  void testDns() {
    assertEquals("192.0.2.53", RunOptionParser.dns("192.0.2.53"));
    assertRefused(RunOptionParser::dns, "ns.example.com", "not an IP address");
  }

  @Test
  void testArgs_areDockerRunArgumentsWithTheSameMeaning() {
    RunOptions options =
        new RunOptions(
            List.of(RunOptionParser.addHost("db:192.0.2.10")),
            List.of(RunOptionParser.tmpfs("/scratch:size=1m")),
            List.of(
                RunOptionParser.volume("/srv/f:/fixtures"),
                RunOptionParser.mount("type=volume,target=/cache")),
            Optional.of(RunOptionParser.shmSize("64m")),
            List.of(RunOptionParser.ulimit("nofile=1024:2048")),
            List.of());
    assertEquals(
        List.of(
            "--add-host", "db:192.0.2.10",
            "--tmpfs", "/scratch:size=1m",
            "--mount", "type=bind,source=/srv/f,target=/fixtures,readonly",
            "--mount", "type=volume,target=/cache,readonly",
            "--shm-size", "67108864",
            "--ulimit", "nofile=1024:2048"),
        options.args());
    assertEquals(List.of("/scratch", "/fixtures", "/cache"), options.mountTargets());
    assertEquals(List.of("/fixtures", "/cache"), options.externalTargets());
    assertTrue(RunOptions.NONE.isEmpty());
    assertFalse(options.isEmpty());
  }

  private static void assertRefused(Function<String, ?> parser, String value, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parser.apply(value));
    assertTrue(e.getMessage().contains(reason), value + ": " + e.getMessage());
  }
}
