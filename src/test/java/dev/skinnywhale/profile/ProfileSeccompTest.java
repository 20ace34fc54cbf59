package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.seccomp.SeccompPolicy;
import dev.skinnywhale.seccomp.SyscallAbi;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Schema version 2: the optional seccomp policy; version 1 files are still read as they are. */
class ProfileSeccompTest {
  private final ProfileJson json = new ProfileJson();

  private static final SeccompPolicy POLICY =
      new SeccompPolicy(
          SyscallAbi.forImageArchitecture("amd64"),
          new TreeSet<>(Set.of("read", "write", "exit_group")),
          new TreeSet<>(Set.of("clone3")));

  private Profile parse(String text) {
    return json.read("t.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void write_withSeccomp_isVersion2_andRoundTrips() {
    Profile p = Fixtures.sample().withSeccomp(Optional.of(POLICY));
    String text = json.write(p);
    assertTrue(text.startsWith("{\n  \"schemaVersion\": 2,\n"), text);
    assertTrue(
        text.endsWith(
            "  \"seccomp\": { \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\","
                + " \"SCMP_ARCH_X32\"], \"allow\": [\"exit_group\", \"read\", \"write\"],"
                + " \"enosys\": [\"clone3\"] }\n}\n"),
        text);
    Profile back = parse(text);
    assertEquals(p, back);
    assertEquals(text, json.write(back));
  }

  @Test
  void read_version1_keepsItsVersionAndBytes() {
    String v1 =
        """
        {
          "schemaVersion": 1,
          "name": "x",
          "comment": "",
          "tracer": "hand-written",
          "commands": [],
          "markers": [],
          "entries": [
            { "path": "/etc/hosts", "type": "file", "why": ["include"] }
          ]
        }
        """;
    Profile p = parse(v1);
    assertEquals(1, p.schemaVersion());
    assertEquals(Optional.empty(), p.seccomp());
    assertEquals(v1, json.write(p));
  }

  @Test
  void read_seccompInVersion1_fails() {
    ProfileException e =
        assertThrows(
            ProfileException.class,
            () ->
                parse(
                    """
                    { "schemaVersion": 1, "name": "x", "tracer": "hand-written", "entries": [],
                      "seccomp": { "architectures": ["SCMP_ARCH_X86_64"], "allow": ["read"] } }
                    """));
    assertTrue(e.reason().contains("needs schemaVersion 2"), e.getMessage());
  }

  @Test
  void read_badSeccomp_namesTheField() {
    String base =
        "{ \"schemaVersion\": 2, \"name\": \"x\", \"tracer\": \"hand-written\", \"entries\": [],"
            + " \"seccomp\": %s }";
    assertTrue(
        assertThrows(ProfileException.class, () -> parse(String.format(base, "{ \"allow\": [] }")))
            .reason()
            .contains("architectures"));
    assertTrue(
        assertThrows(
                ProfileException.class,
                () ->
                    parse(
                        String.format(
                            base, "{ \"architectures\": [\"SCMP_ARCH_MIPS\"], \"allow\": [] }")))
            .reason()
            .contains("SCMP_ARCH_MIPS"));
    assertTrue(
        assertThrows(
                ProfileException.class,
                () ->
                    parse(
                        String.format(
                            base,
                            "{ \"architectures\": [\"SCMP_ARCH_X86_64\"], \"allow\": [\"A B\"] }")))
            .reason()
            .contains("seccomp"));
    assertTrue(
        assertThrows(
                ProfileException.class,
                () ->
                    parse(
                        String.format(
                            base,
                            "{ \"architectures\": [\"SCMP_ARCH_X86_64\"], \"allow\": [], \"x\": 1 }")))
            .reason()
            .contains("unknown field"));
  }

  @Test
  void merge_unitesPoliciesOnlyWhenBothHaveOne() {
    Profile a = Fixtures.sample().withSeccomp(Optional.of(POLICY));
    SeccompPolicy other =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("amd64"),
            new TreeSet<>(Set.of("clone3", "openat")),
            new TreeSet<>());
    Profile b = Fixtures.sample().withName("b").withSeccomp(Optional.of(other));
    SeccompPolicy merged = ProfileMerge.merge(a, b, "m").seccomp().orElseThrow();
    assertEquals(Set.of("clone3", "exit_group", "openat", "read", "write"), merged.allowed());
    assertTrue(merged.enosys().isEmpty());
    assertEquals(Optional.empty(), ProfileMerge.merge(a, Fixtures.sample(), "m").seccomp());
  }
}
