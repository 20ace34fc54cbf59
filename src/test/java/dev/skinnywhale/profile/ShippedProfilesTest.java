package dev.skinnywhale.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The profiles in profiles/ as the jar ships them (target/classes, from process-resources). */
class ShippedProfilesTest {
  private final ProfileJson json = new ProfileJson();
  private final ProfileStore store =
      new ProfileStore(
          Path.of("target/no-such-dir"),
          Optional.empty(),
          Optional.empty(),
          getClass().getClassLoader());

  @Test
  void shippedNames_theSevenProfiles() {
    assertEquals(
        List.of("ca-certificates", "gconv", "glibc-nss", "jvm", "locales", "python3", "tzdata"),
        store.shippedNames());
  }

  @Test
  void shipped_eachParsesWithCommentMarkerAndEntries() {
    for (String name : store.shippedNames()) {
      Profile p = store.load(name).profile();
      assertEquals(name, p.name());
      assertFalse(p.comment().isBlank(), name);
      assertFalse(p.markers().isEmpty(), name);
      assertFalse(p.entries().isEmpty(), name);
      assertEquals(TracerKind.HAND_WRITTEN, p.tracer(), name);
    }
  }

  @Test
  void shipped_eachIsCanonical() throws IOException {
    for (String name : store.shippedNames()) {
      String resource = ProfileStore.SHIPPED + name + ".json";
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
        assertNotNull(in, resource);
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(
            text,
            json.write(
                json.read(
                    resource,
                    new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))),
            name);
      }
    }
  }

  @Test
  void index_listsExactlyTheJsonFilesOfProfilesDir() throws IOException {
    Path dir = Path.of("profiles");
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - 5))
              .sorted()
              .toList();
    }
    assertEquals(files, store.shippedNames());
  }
}
