package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --change} applied to an image config: the results are those {@code docker commit --change}
 * gave for the same instructions on a container whose config was {@code Cmd ["sh","-c", "echo hi"]}
 * (recorded by hand on Docker 20.10), and the rest of the config is untouched.
 */
class ConfigChangesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode image(String config) throws Exception {
    ObjectNode image = JSON.createObjectNode();
    image.put("architecture", "amd64");
    image.put("os", "linux");
    image.set("config", JSON.readTree(config));
    image.put("created", "2025-01-01T00:00:00Z");
    image.putObject("x-unknown").put("kept", true);
    return image;
  }

  private static JsonNode apply(String config, String... changes) throws Exception {
    return ConfigChanges.apply(image(config), ChangeParser.parseAll(List.of(changes)))
        .get("config");
  }

  private static final String ECHO = "{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],\"Env\":null}";

  @Test
  void testEntrypoint_clearsTheCommand() throws Exception {
    JsonNode c = apply(ECHO, "ENTRYPOINT [\"/bin/cat\"]");
    assertEquals("[\"/bin/cat\"]", c.get("Entrypoint").toString());
    assertTrue(c.get("Cmd").isNull(), c.toString());
  }

  @Test
  void testEntrypoint_afterCmd_keepsIt() throws Exception {
    JsonNode c = apply(ECHO, "CMD [\"x\"]", "ENTRYPOINT [\"y\"]");
    assertEquals("[\"y\"]", c.get("Entrypoint").toString());
    assertEquals("[\"x\"]", c.get("Cmd").toString());
  }

  @Test
  void testEmptyCmd_withoutEntrypoint_bringsTheOldOneBack() throws Exception {
    assertEquals("[\"sh\",\"-c\",\"echo hi\"]", apply(ECHO, "CMD []").get("Cmd").toString());
    JsonNode c = apply(ECHO, "ENTRYPOINT [\"e\"]", "CMD []");
    assertEquals("[]", c.get("Cmd").toString());
    JsonNode cleared = apply(ECHO, "CMD [\"c\"]", "ENTRYPOINT []");
    assertEquals("[]", cleared.get("Entrypoint").toString());
    assertEquals("[\"c\"]", cleared.get("Cmd").toString());
  }

  @Test
  void testEnv_expandsFromTheEnvBeforeTheInstruction() throws Exception {
    JsonNode one = apply(ECHO, "ENV X=1 Y=$X");
    assertEquals("[\"X=1\",\"Y=\"]", one.get("Env").toString());
    JsonNode two = apply(ECHO, "ENV X=1", "ENV Y=${X:-d}${Z:-d}${X:+alt}${Z:+alt} W=$X");
    assertEquals("[\"X=1\",\"Y=1dalt\",\"W=1\"]", two.get("Env").toString());
  }

  @Test
  void testEnv_quotesEscapesAndTheOldForm() throws Exception {
    JsonNode c =
        apply(
            ECHO,
            "ENV A=a\\ b\\$c B=\\\"q\\\" C='s $x'",
            "ENV D the rest  of \"line\"",
            "ENV P=a$1b E=$");
    assertEquals(
        "[\"A=a b$c\",\"B=\\\"q\\\"\",\"C=s $x\",\"D=the rest  of line\",\"P=ab\",\"E=$\"]",
        c.get("Env").toString());
  }

  @Test
  void testEnv_replacesInPlace() throws Exception {
    JsonNode c =
        apply("{\"Env\":[\"PATH=/usr/bin\",\"LANG=C\"]}", "ENV PATH=/opt/bin:$PATH A=1 A=2");
    assertEquals("[\"PATH=/opt/bin:/usr/bin\",\"LANG=C\",\"A=2\"]", c.get("Env").toString());
  }

  @Test
  void testUnsetVariable_withQuestionMark_isAnError() {
    ConfigChangeException e =
        assertThrows(ConfigChangeException.class, () -> apply(ECHO, "ENV A=${B:?oops}"));
    assertTrue(e.getMessage().contains("B: oops"), e.getMessage());
  }

  @Test
  void testLabelExposeVolume_addToWhatIsThere() throws Exception {
    JsonNode c =
        apply(
            "{\"Labels\":{\"old\":\"1\"},\"ExposedPorts\":{\"22/tcp\":{}},\"Volumes\":null}",
            "LABEL a= b=\"\" \"c d\"=e",
            "EXPOSE 80 90-92/udp 8080/TCP 1.2.3.4:81:81",
            "VOLUME [\"/a\",\"/b\"]");
    assertEquals("{\"old\":\"1\",\"a\":\"\",\"b\":\"\",\"c d\":\"e\"}", c.get("Labels").toString());
    assertEquals(
        List.of("22/tcp", "80/tcp", "90/udp", "91/udp", "92/udp", "8080/tcp", "81/tcp"),
        names(c.get("ExposedPorts")));
    assertEquals(List.of("/a", "/b"), names(c.get("Volumes")));
  }

  @Test
  void testExpose_withVariable_isCheckedWhenApplied() throws Exception {
    assertEquals(List.of("1/tcp"), names(apply(ECHO, "ENV A=1", "EXPOSE $A").get("ExposedPorts")));
    ConfigChangeException e =
        assertThrows(ConfigChangeException.class, () -> apply(ECHO, "ENV A=x", "EXPOSE $A"));
    assertTrue(e.getMessage().contains("Invalid containerPort: x"), e.getMessage());
  }

  @Test
  void testWorkdir_relativeToTheOneBefore() throws Exception {
    assertEquals("/rel", apply(ECHO, "WORKDIR rel").get("WorkingDir").asText());
    assertEquals("/a/c", apply(ECHO, "WORKDIR /a", "WORKDIR b/../c").get("WorkingDir").asText());
    assertEquals("/x/xy", apply(ECHO, "ENV A=x", "WORKDIR /$A/${A}y").get("WorkingDir").asText());
    assertEquals("/my dir", apply(ECHO, "WORKDIR \"/my dir\"").get("WorkingDir").asText());
  }

  @Test
  void testUser_emptyAfterExpansion_keepsTheOldOne() throws Exception {
    assertEquals("app:app", apply(ECHO, "USER app:app").get("User").asText());
    assertEquals("old", apply("{\"User\":\"old\"}", "USER $NOPE").get("User").asText());
  }

  @Test
  void testHealthcheck_replacesAndTakesUnsetFieldsFromTheOld() throws Exception {
    JsonNode fresh = apply(ECHO, "HEALTHCHECK --timeout=1.5m CMD x");
    assertEquals(
        "{\"Test\":[\"CMD-SHELL\",\"x\"],\"Timeout\":90000000000}",
        fresh.get("Healthcheck").toString());
    JsonNode merged =
        apply(
            "{\"Healthcheck\":{\"Test\":[\"CMD\",\"old\"],\"Interval\":5000000000}}",
            "HEALTHCHECK CMD [\"new\"]");
    assertEquals(
        "{\"Test\":[\"CMD\",\"new\"],\"Interval\":5000000000}",
        merged.get("Healthcheck").toString());
    assertEquals(
        "[\"NONE\"]", apply(ECHO, "HEALTHCHECK NONE").get("Healthcheck").get("Test").toString());
  }

  @Test
  void testStopSignalAndOnBuild() throws Exception {
    JsonNode c = apply(ECHO, "STOPSIGNAL sigusr1", "ONBUILD run y", "ONBUILD COPY a b");
    assertEquals("sigusr1", c.get("StopSignal").asText());
    assertEquals("[\"run y\",\"COPY a b\"]", c.get("OnBuild").toString());
  }

  @Test
  void testLossless_otherFieldsKeepTheirPlaceAndTheInputIsUnchanged() throws Exception {
    ObjectNode before =
        image("{\"Hostname\":\"\",\"User\":\"u\",\"Cmd\":[\"a\"],\"Weird\":{\"x\":[1,2]}}");
    String text = before.toString();
    ObjectNode after =
        ConfigChanges.apply(before, ChangeParser.parseAll(List.of("CMD [\"b\"]", "ENV K=v")));
    assertEquals(text, before.toString(), "the input changed");
    assertEquals(List.of("architecture", "os", "config", "created", "x-unknown"), names(after));
    assertEquals(List.of("Hostname", "User", "Cmd", "Weird", "Env"), names(after.get("config")));
    assertEquals("{\"x\":[1,2]}", after.get("config").get("Weird").toString());
    assertEquals("[\"b\"]", after.get("config").get("Cmd").toString());
    assertFalse(after.get("x-unknown").isMissingNode());
  }

  @Test
  void testNoChanges_isACopy() throws Exception {
    ObjectNode before = image(ECHO);
    ObjectNode after = ConfigChanges.apply(before, List.of());
    assertEquals(before, after);
    after.put("os", "changed");
    assertEquals("linux", before.get("os").asText());
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
