package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileJsonTest {
  private final ProfileJson json = new ProfileJson();

  private Profile parse(String text) {
    return json.read("test.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private ProfileException fails(String text) {
    return assertThrows(ProfileException.class, () -> parse(text));
  }

  private static final String MINIMAL =
      """
      {
        "schemaVersion": 1,
        "name": "x",
        "tracer": "hand-written",
        "entries": [ { "path": "/etc/hosts", "type": "file", "why": ["include"] } ]
      }
      """;

  @Test
  void write_sample_isCanonicalText() {
    String expected =
        """
        {
          "schemaVersion": 2,
          "name": "app-jre",
          "comment": "Traced by skinnywhale (ptrace) in jre running: java -version.",
          "source": { "image": "sha256:abc", "reference": "jre", "architecture": "amd64" },
          "tracer": "ptrace",
          "commands": [
            { "run": "java -version", "exitCode": 0 },
            { "run": "java -cp /app Main", "exitCode": 3 }
          ],
          "markers": [
            "/usr/lib/jvm/*/lib/server/libjvm.so"
          ],
          "entries": [
            { "path": "/usr/bin/java", "type": "symlink", "why": ["exec", "symlink-hop"] },
            { "path": "/usr/lib/jvm/j17/lib", "type": "dir", "why": ["listed", "stat"] },
            { "path": "/usr/lib/jvm/j17/lib/server/libjvm.so", "type": "file", "why": ["opened"] },
            { "path": "/usr/lib/x86_64-linux-gnu/libz.so.1", "type": "symlink", "why": ["needed-by"], "neededBy": "/usr/lib/jvm/j17/lib/libzip.so" },
            { "path": "/usr/share/zoneinfo/**", "type": "glob", "why": ["include"] }
          ]
        }
        """;
    assertEquals(expected, json.write(Fixtures.sample()));
  }

  @Test
  void read_written_roundTripsToEqualProfileAndBytes() {
    String first = json.write(Fixtures.sample());
    Profile back = parse(first);
    assertEquals(Fixtures.sample(), back);
    assertEquals(first, json.write(back));
  }

  @Test
  void write_shuffledEntries_sameBytes() {
    List<ProfileEntry> entries = new ArrayList<>(Fixtures.sample().entries());
    String expected = json.write(Fixtures.sample());
    Random random = new Random(42);
    for (int i = 0; i < 5; i++) {
      Collections.shuffle(entries, random);
      assertEquals(expected, json.write(Fixtures.traced(entries)));
    }
  }

  @Test
  void write_nonAsciiAndControlCharacters_roundTrip() {
    Profile p =
        Fixtures.handWritten(
            "odd",
            List.of(),
            List.of(
                ProfileEntry.of(
                    dev.skinnywhale.rootfs.FsPath.fromText("/opt/caf\u00e9/\"q\"\tx"),
                    EntryType.FILE,
                    Why.OPENED)));
    String text = json.write(p);
    assertEquals(p, parse(text));
    // In the file the name is UTF-8 text, as a person would write it, not one char per byte.
    assertTrue(text.contains("caf\u00e9"), text);
  }

  @Test
  void read_file_namesTheFileInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"schemaVersion\": 1,\n  \"name\": \"x\",,\n}\n");
    ProfileException e = assertThrows(ProfileException.class, () -> json.read(file));
    assertTrue(e.getMessage().startsWith(file + ":3:"), e.getMessage());
  }

  @Test
  void read_missingFile_namesIt(@TempDir Path dir) {
    Path file = dir.resolve("none.json");
    ProfileException e = assertThrows(ProfileException.class, () -> json.read(file));
    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void read_endlessDevice_refusedAtTheLimitNotReadWhole() {
    Path zero = Path.of("/dev/zero"); // size 0, endless: only a capped read stops
    ProfileException e = assertThrows(ProfileException.class, () -> json.read(zero));
    assertEquals(
        "/dev/zero: too large (more than " + ProfileJson.MAX_BYTES + " bytes)", e.getMessage());
  }

  @Test
  void read_minimal_defaults() {
    Profile p = parse(MINIMAL);
    assertEquals("", p.comment());
    assertEquals(List.of(), p.commands());
    assertEquals(List.of(), p.markers());
    assertEquals(TracerKind.HAND_WRITTEN, p.tracer());
  }

  @Test
  void read_badJson_givesLineAndColumn() {
    ProfileException e =
        fails("{\n  \"schemaVersion\": 1,\n  \"name\": \"x\"\n  \"tracer\": \"ptrace\"\n}");
    assertTrue(e.source().startsWith("test.json:4:"), e.getMessage());
  }

  @Test
  void read_trailingGarbage_fails() {
    ProfileException e = fails(MINIMAL + "}");
    assertTrue(e.source().startsWith("test.json:"), e.getMessage());
  }

  @Test
  void read_duplicateKey_failsWithLine() {
    ProfileException e = fails("{\n\"schemaVersion\": 1,\n\"name\": \"x\",\n\"name\": \"y\"\n}");
    assertTrue(e.source().startsWith("test.json:4:"), e.getMessage());
  }

  @Test
  void read_otherSchemaVersion_namesFileAndVersion() {
    ProfileException e = fails(MINIMAL.replace("\"schemaVersion\": 1", "\"schemaVersion\": 3"));
    assertEquals("test.json", e.source());
    assertTrue(e.reason().contains("unsupported schemaVersion 3"), e.getMessage());
    assertTrue(e.reason().contains("reads schemaVersion 1 to 2"), e.getMessage());
  }

  @Test
  void read_otherSchemaVersionWithUnknownFields_reportsTheVersion() {
    ProfileException e = fails("{ \"schemaVersion\": 7, \"newThing\": true }");
    assertTrue(e.reason().contains("unsupported schemaVersion 7"), e.getMessage());
  }

  @Test
  void read_missingSchemaVersion_fails() {
    ProfileException e = fails("{ \"name\": \"x\" }");
    assertEquals("missing \"schemaVersion\"", e.reason());
  }

  @Test
  void read_stringSchemaVersion_fails() {
    ProfileException e = fails(MINIMAL.replace("\"schemaVersion\": 1", "\"schemaVersion\": \"1\""));
    assertTrue(e.reason().contains("not an integer"), e.getMessage());
  }

  @Test
  void read_unknownTopLevelField_failsWithLocation() {
    ProfileException e =
        fails(MINIMAL.replace("\"name\": \"x\",", "\"name\": \"x\",\n  \"nmae\": 1,"));
    assertTrue(e.source().startsWith("test.json:4:"), e.getMessage());
    assertTrue(e.reason().contains("unknown field \"nmae\""), e.getMessage());
  }

  @Test
  void read_unknownEntryField_namesTheEntry() {
    ProfileException e =
        fails(MINIMAL.replace("\"why\": [\"include\"]", "\"why\": [\"include\"], \"size\": 3"));
    assertTrue(e.reason().contains("unknown field \"size\" in entries[0]"), e.getMessage());
  }

  @Test
  void read_extensionField_isAllowedAtTopLevel() {
    Profile p =
        parse(
            MINIMAL.replace(
                "\"name\": \"x\",", "\"name\": \"x\",\n  \"x-team\": { \"owner\": [1, 2] },"));
    assertEquals("x", p.name());
  }

  @Test
  void read_extensionFieldInEntry_fails() {
    fails(MINIMAL.replace("\"why\": [\"include\"]", "\"why\": [\"include\"], \"x-note\": 1"));
  }

  @Test
  void read_unknownWhy_namesEntryAndValue() {
    ProfileException e = fails(MINIMAL.replace("[\"include\"]", "[\"include\", \"guessed\"]"));
    assertTrue(
        e.reason().startsWith("entries[0] (/etc/hosts): unknown why \"guessed\""), e.getMessage());
  }

  @Test
  void read_unknownType_fails() {
    ProfileException e = fails(MINIMAL.replace("\"file\"", "\"fifo\""));
    assertTrue(e.reason().contains("unknown type \"fifo\""), e.getMessage());
  }

  @Test
  void read_unknownTracer_fails() {
    ProfileException e = fails(MINIMAL.replace("hand-written", "dtrace"));
    assertTrue(e.reason().contains("unknown tracer \"dtrace\""), e.getMessage());
  }

  @Test
  void read_missingEntries_fails() {
    ProfileException e = fails("{ \"schemaVersion\": 1, \"name\": \"x\", \"tracer\": \"ptrace\" }");
    assertEquals("missing \"entries\"", e.reason());
  }

  @Test
  void read_numberAsString_fails() {
    fails(MINIMAL.replace("\"name\": \"x\"", "\"name\": 5"));
  }

  @Test
  void read_relativePath_fails() {
    ProfileException e = fails(MINIMAL.replace("/etc/hosts", "etc/hosts"));
    assertTrue(e.reason().contains("not a normalised absolute path"), e.getMessage());
  }

  @Test
  void read_neededByWithoutReason_fails() {
    fails(MINIMAL.replace("[\"include\"]", "[\"include\"], \"neededBy\": \"/bin/sh\""));
  }

  @Test
  void read_duplicatePath_fails() {
    ProfileException e =
        fails(
            MINIMAL.replace(
                "\"entries\": [",
                "\"entries\": [ { \"path\": \"/etc/hosts\", \"type\": \"file\", \"why\": [\"opened\"] },"));
    assertTrue(e.reason().contains("duplicate entry: /etc/hosts"), e.getMessage());
  }

  @Test
  void read_badProfileName_fails() {
    fails(MINIMAL.replace("\"name\": \"x\"", "\"name\": \"../x\""));
  }

  @Test
  void read_badMarker_fails() {
    ProfileException e =
        fails(MINIMAL.replace("\"tracer\"", "\"markers\": [\"lib/x\"],\n  \"tracer\""));
    assertTrue(e.reason().startsWith("markers[0]"), e.getMessage());
  }
}
