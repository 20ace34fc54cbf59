package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Symbol markers: schemaVersion 2, reading version 1, and picking symbol needs by imports. */
class ProfileSymbolsTest {
  private final ProfileJson json = new ProfileJson();

  private static final String V1 =
      """
      {
        "schemaVersion": 1,
        "name": "x",
        "tracer": "hand-written",
        "markers": [ "/usr/lib/*/gconv/gconv-modules" ],
        "entries": [ { "path": "/usr/lib/*/gconv/**", "type": "glob", "why": ["include"] } ]
      }
      """;

  private static final String V2 =
      """
      {
        "schemaVersion": 2,
        "name": "x",
        "comment": "",
        "tracer": "hand-written",
        "commands": [],
        "markers": [
          "/usr/lib/*/gconv/gconv-modules"
        ],
        "symbols": [
          "gethostbyname*",
          "iconv_open"
        ],
        "entries": [
          { "path": "/usr/lib/*/gconv/**", "type": "glob", "why": ["include"] }
        ]
      }
      """;

  private Profile parse(String text) {
    return json.read("test.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void read_version1_keepsItsVersionWithoutSymbols() {
    Profile p = parse(V1);
    assertEquals(1, p.schemaVersion());
    assertEquals(List.of(), p.symbols());
    assertFalse(p.isSymbolNeed());
    assertTrue(json.write(p).startsWith("{\n  \"schemaVersion\": 1,\n"), json.write(p));
    assertFalse(json.write(p).contains("symbols"), "an empty list is not written");
  }

  @Test
  void read_version2WithSymbols_roundTripsCanonically() {
    Profile p = parse(V2);
    assertEquals(List.of("gethostbyname*", "iconv_open"), p.symbols());
    assertTrue(p.isSymbolNeed());
    assertEquals(V2, json.write(p));
    assertEquals(
        V2,
        json.write(
            parse(
                V2.replace(
                    "\"gethostbyname*\",\n    \"iconv_open\"",
                    "\"iconv_open\",\n    \"gethostbyname*\""))));
  }

  @Test
  void read_symbolsInVersion1_fails() {
    ProfileException e =
        assertThrows(
            ProfileException.class,
            () ->
                parse(V1.replace("\"markers\"", "\"symbols\": [\"iconv_open\"],\n  \"markers\"")));
    assertTrue(e.reason().contains("\"symbols\" needs schemaVersion 2"), e.getMessage());
  }

  @Test
  void read_badSymbol_namesTheField() {
    ProfileException e =
        assertThrows(ProfileException.class, () -> parse(V2.replace("iconv_open", "iconv open")));
    assertTrue(e.reason().startsWith("symbols[1]: bad symbol"), e.getMessage());
    assertThrows(ProfileException.class, () -> parse(V2.replace("\"iconv_open\"", "7")));
  }

  @Test
  void symbolPattern_matchesWithStars() {
    assertTrue(SymbolPattern.matches("gethostbyname*", "gethostbyname2_r"));
    assertTrue(SymbolPattern.matches("gethostbyname*", "gethostbyname"));
    assertFalse(SymbolPattern.matches("gethostbyname*", "xgethostbyname"));
    assertTrue(SymbolPattern.matches("*open*", "iconv_open"));
    assertTrue(SymbolPattern.matches("iconv_open", "iconv_open"));
    assertFalse(SymbolPattern.matches("iconv_open", "iconv_open2"));
    assertFalse(SymbolPattern.matches("a*b*c", "aXbY"));
  }

  @Test
  void merge_unitesSymbols() {
    Profile a = parse(V2);
    Profile b = parse(V2.replace("\"gethostbyname*\",\n", "\"setlocale\",\n"));
    assertEquals(
        List.of("gethostbyname*", "iconv_open", "setlocale"),
        ProfileMerge.merge(a, b, "m").symbols());
  }

  private static RootFs glibcImage() {
    return RootFs.of(
        List.of(
            new FsNode.RegularFile(
                "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules",
                NodeMeta.of(0644),
                new BytesBlob(new byte[0])),
            new FsNode.RegularFile(
                "/usr/share/zoneinfo/UTC", NodeMeta.of(0644), new BytesBlob(new byte[0]))));
  }

  private static Profile tz() {
    return new Profile(
        Profile.SCHEMA_VERSION,
        "tz",
        "",
        Optional.empty(),
        TracerKind.HAND_WRITTEN,
        List.of(),
        List.of("/usr/share/zoneinfo"),
        List.of(ProfileEntry.of("/usr/share/zoneinfo/**", EntryType.GLOB, Why.INCLUDE)));
  }

  @Test
  void auto_leavesSymbolNeedsToTheImports() {
    assertEquals(
        List.of("tz"),
        ProfileApplier.auto(glibcImage(), List.of(parse(V2), tz())).stream()
            .map(Profile::name)
            .toList());
  }

  @Test
  void bySymbols_picksWhatAKeptFileImports_whenTheMarkersMatch() {
    TreeMap<String, List<String>> imports = new TreeMap<>();
    imports.put("/usr/bin/static", List.of());
    imports.put("/usr/bin/git", List.of("free", "iconv_open"));
    imports.put("/usr/bin/a-curl", List.of("gethostbyname2"));
    List<ProfileApplier.SymbolMatch> m =
        ProfileApplier.bySymbols(glibcImage(), List.of(parse(V2), tz()), imports);
    assertEquals(1, m.size());
    assertEquals("x", m.get(0).profile().name());
    assertEquals("gethostbyname2", m.get(0).symbol());
    assertEquals("/usr/bin/a-curl", m.get(0).importer());

    assertEquals(
        List.of(),
        ProfileApplier.bySymbols(
            glibcImage(), List.of(parse(V2)), new TreeMap<>(java.util.Map.of("/s", List.of()))));
    RootFs noGconv = RootFs.of(List.of());
    assertEquals(List.of(), ProfileApplier.bySymbols(noGconv, List.of(parse(V2)), imports));
  }
}
