package dev.skinnywhale.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class ImageConfigsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DIFF_ID = "sha256:" + "ab".repeat(32);

  static final String SOURCE =
      """
      {
        "architecture": "amd64",
        "os": "linux",
        "variant": "v8",
        "created": "2024-05-06T07:08:09.123456789Z",
        "author": null,
        "x-unknown": {"keep": [1, 2, {"deep": true}]},
        "config": {
          "User": "app:app",
          "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java"],
          "Entrypoint": ["/docker-entrypoint.sh"],
          "Cmd": ["java", "-jar", "app.jar"],
          "WorkingDir": "/srv",
          "ExposedPorts": {"8080/tcp": {}},
          "Volumes": {"/data": {}},
          "Labels": {"org.opencontainers.image.title": "app"},
          "Healthcheck": {"Test": ["CMD", "true"], "Interval": 30000000000},
          "StopSignal": "SIGTERM",
          "OnBuild": null,
          "Shell": ["/bin/sh", "-c"]
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:1111", "sha256:2222"]},
        "history": [{"created_by": "debootstrap"}, {"created_by": "apt-get install"}]
      }
      """;

  static ObjectNode source() throws Exception {
    return (ObjectNode) JSON.readTree(SOURCE);
  }

  @Test
  void testForSlimImage_keepsEveryOtherFieldAndOrder() throws Exception {
    ObjectNode slim = ImageConfigs.forSlimImage(source(), DIFF_ID, "slimmed");
    ObjectNode expected = source();
    expected.remove("rootfs");
    expected.remove("history");
    ObjectNode actual = slim.deepCopy();
    actual.remove("rootfs");
    actual.remove("history");
    assertEquals(expected, actual);
    Iterator<String> names = slim.fieldNames();
    assertEquals("architecture", names.next());
    assertEquals(
        JSON.readTree("{\"type\":\"layers\",\"diff_ids\":[\"" + DIFF_ID + "\"]}"),
        slim.get("rootfs"));
    JsonNode history = slim.get("history");
    assertEquals(1, history.size());
    assertEquals("2024-05-06T07:08:09.123456789Z", history.get(0).get("created").asText());
    assertEquals("skinnywhale", history.get(0).get("created_by").asText());
    assertEquals("slimmed", history.get(0).get("comment").asText());
    assertEquals("app:app", slim.at("/config/User").asText());
    assertEquals(true, slim.at("/x-unknown/keep/2/deep").asBoolean());
  }

  @Test
  void testForSlimImage_doesNotMutateInput_andOutputIsIndependent() throws Exception {
    ObjectNode in = source();
    ObjectNode slim = ImageConfigs.forSlimImage(in, DIFF_ID, "c");
    assertEquals(source(), in);
    ((ObjectNode) slim.get("config")).put("User", "root");
    ((ObjectNode) slim.get("x-unknown")).removeAll();
    assertEquals(source(), in);
  }

  @Test
  void testForSlimImage_absentFieldsStayAbsent() throws Exception {
    ObjectNode minimal = (ObjectNode) JSON.readTree("{\"os\":\"linux\"}");
    ObjectNode slim = ImageConfigs.forSlimImage(minimal, DIFF_ID, "c");
    assertFalse(slim.has("created"));
    assertFalse(slim.has("config"));
    assertFalse(slim.get("history").get(0).has("created"));
  }

  @Test
  void testForSlimImage_badDigest_rejected() throws Exception {
    ObjectNode in = source();
    assertThrows(IllegalArgumentException.class, () -> ImageConfigs.forSlimImage(in, "abc", "c"));
  }
}
