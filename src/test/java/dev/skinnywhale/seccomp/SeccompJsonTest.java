package dev.skinnywhale.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeccompJsonTest {
  private static SeccompPolicy policy(Set<String> allowed, Set<String> enosys) {
    return new SeccompPolicy(
        SyscallAbi.forImageArchitecture("amd64"), new TreeSet<>(allowed), new TreeSet<>(enosys));
  }

  @Test
  void write_isDockersFormat_canonical() {
    String expected =
        """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "architectures": [
            "SCMP_ARCH_X86_64",
            "SCMP_ARCH_X86",
            "SCMP_ARCH_X32"
          ],
          "syscalls": [
            {
              "names": [
                "exit_group",
                "read",
                "write"
              ],
              "action": "SCMP_ACT_ALLOW"
            },
            {
              "names": [
                "clone3"
              ],
              "action": "SCMP_ACT_ERRNO",
              "errnoRet": 38
            }
          ]
        }
        """;
    assertEquals(
        expected,
        SeccompJson.write(policy(Set.of("write", "read", "exit_group"), Set.of("clone3"))));
  }

  @Test
  void write_sameInputShuffled_sameBytes() {
    SeccompPolicy a = policy(Set.of("b", "a", "c"), Set.of("z", "y"));
    SeccompPolicy b = policy(new TreeSet<>(List.of("c", "a", "b")), Set.of("y", "z"));
    assertEquals(SeccompJson.write(a), SeccompJson.write(b));
  }

  @Test
  void write_isValidJson_arm64Architectures() throws Exception {
    SeccompPolicy p =
        new SeccompPolicy(
            SyscallAbi.forImageArchitecture("arm64"),
            new TreeSet<>(Set.of("read")),
            new TreeSet<>());
    JsonNode n = new ObjectMapper().readTree(SeccompJson.write(p));
    assertEquals("SCMP_ARCH_AARCH64", n.path("architectures").get(0).asText());
    assertEquals("SCMP_ARCH_ARM", n.path("architectures").get(1).asText());
    assertEquals(1, n.path("syscalls").size());
    assertEquals(1, n.path("defaultErrnoRet").asInt());
  }

  @Test
  void write_nothingAllowed_emptyRules() throws Exception {
    JsonNode n = new ObjectMapper().readTree(SeccompJson.write(policy(Set.of(), Set.of())));
    assertTrue(n.path("syscalls").isArray());
    assertEquals(0, n.path("syscalls").size());
  }

  @Test
  void withMarkers_oneRulePerName_ownErrno() throws Exception {
    String text =
        SeccompJson.withMarkers(policy(Set.of("read"), Set.of()), List.of("capget", "chdir"), 1000);
    JsonNode rules = new ObjectMapper().readTree(text).path("syscalls");
    assertEquals(3, rules.size());
    assertEquals("capget", rules.get(1).path("names").get(0).asText());
    assertEquals(1000, rules.get(1).path("errnoRet").asInt());
    assertEquals("chdir", rules.get(2).path("names").get(0).asText());
    assertEquals(1001, rules.get(2).path("errnoRet").asInt());
    assertThrows(
        IllegalArgumentException.class,
        () -> SeccompJson.withMarkers(policy(Set.of(), Set.of()), List.of("a"), 4095));
  }
}
