package dev.skinnywhale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * src/main/cds/classlist, the classes the build archives for class-data sharing: every class of
 * ours it names exists (a renamed or removed one would silently leave the archive and slow the
 * start-up), and it holds what every run loads first.
 */
class ClassListTest {
  private static final Path LIST = Path.of("src/main/cds/classlist");

  @Test
  void everyClassOfOursItNames_exists() throws Exception {
    List<String> missing = new ArrayList<>();
    int ours = 0;
    for (String line : Files.readAllLines(LIST)) {
      if (line.startsWith("#") || line.startsWith("@") || !line.startsWith("dev/skinnywhale/")) {
        continue;
      }
      ours++;
      String name = line.split(" ", 2)[0].replace('/', '.');
      try {
        Class.forName(name, false, ClassListTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(name);
      }
    }
    assertEquals(List.of(), missing, "rerun bench/classlist.sh");
    assertTrue(ours > 100, "only " + ours + " classes of ours");
  }

  @Test
  void holdsWhatEveryRunLoadsFirst() throws Exception {
    List<String> lines = Files.readAllLines(LIST);
    for (String c :
        List.of(
            "dev/skinnywhale/Main",
            "dev/skinnywhale/cli/SkinnywhaleCommand",
            "picocli/CommandLine",
            "com/fasterxml/jackson/databind/ObjectMapper",
            "java/lang/Object")) {
      assertTrue(lines.contains(c), c);
    }
  }
}
