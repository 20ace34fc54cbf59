package dev.skinnywhale.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our dynamic symbol table of every ELF file in the host's /usr/bin and the top level of
 * /usr/lib/x86_64-linux-gnu equals what {@code readelf --dyn-syms} prints. readelf finds the table
 * through the section headers (.dynsym and its size), we through the dynamic section and the hash
 * tables, as the loader does: the two views must agree entry by entry.
 */
class HostSymbolsDifferentialTest {
  private static final List<Path> SCANNED =
      List.of(Path.of("/usr/bin"), Path.of("/usr/lib/x86_64-linux-gnu"));
  private static final int BATCH = 150;
  private static final Pattern FILE = Pattern.compile("^File: (.+)$");
  private static final Pattern ENTRY =
      Pattern.compile(
          "^\\s*(\\d+): ([0-9a-f]+)\\s+(0x[0-9a-f]+|\\d+) (\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)"
              + "(?: (.*?))?\\s*$");

  /** readelf's version suffix: {@code @GLIBC_2.2.5 (2)}, {@code @@VERS_1}. */
  private static final Pattern VERSION = Pattern.compile("@{1,2}[^@ ]+(?: \\(\\d+\\))?$");

  @Test
  void dynamicSymbols_hostFiles_matchReadelf() throws Exception {
    assumeTrue(readelfWorks(), "no readelf (binutils)");
    List<Path> files = new ArrayList<>();
    for (Path dir : SCANNED) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p) && isElf(p))
            .sorted()
            .forEach(files::add);
      }
    }
    assumeTrue(!files.isEmpty(), "no ELF files on this host");
    ElfReader reader = new ElfReader();
    int compared = 0;
    int symbols = 0;
    int skipped = 0;
    List<String> mismatches = new ArrayList<>();
    for (int from = 0; from < files.size(); from += BATCH) {
      List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
      Map<String, List<String>> theirs = readelf(batch);
      for (Path file : batch) {
        List<String> expected = theirs.get(file.toString());
        if (expected == null || expected.isEmpty()) {
          skipped++; // no .dynsym: static, or no section headers
          continue;
        }
        List<DynamicSymbol> ours;
        try {
          ours = reader.dynamicSymbols(map(file));
        } catch (ElfFormatException e) {
          mismatches.add(file + ": " + e.getMessage());
          continue;
        }
        List<String> mine = ours.stream().map(HostSymbolsDifferentialTest::line).toList();
        compared++;
        symbols += mine.size();
        if (!mine.equals(expected)) {
          mismatches.add(file + ": " + firstDifference(mine, expected));
        }
      }
    }
    System.out.printf(
        "HostSymbolsDifferentialTest: %d files, %d symbols compared, %d without .dynsym, %d"
            + " mismatches%n",
        compared, symbols, skipped, mismatches.size());
    mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
    assertTrue(compared > 0, "nothing compared");
    assertEquals(List.of(), mismatches);
  }

  /** One entry as readelf prints it: index, value, size, type, bind, visibility, ndx, name. */
  private static String line(DynamicSymbol s) {
    String ndx =
        switch (s.shndx()) {
          case 0 -> "UND";
          case 0xfff1 -> "ABS";
          case 0xfff2 -> "COM";
          default -> Integer.toString(s.shndx());
        };
    return String.join(
        " ",
        Integer.toString(s.index()),
        Long.toUnsignedString(s.value()),
        Long.toUnsignedString(s.size()),
        type(s.type()),
        bind(s.bind()),
        List.of("DEFAULT", "INTERNAL", "HIDDEN", "PROTECTED").get(s.visibility()),
        ndx,
        ascii(s.name()));
  }

  /** readelf drops or rewrites bytes above 0x7f (Go's "·"), so names compare without them. */
  private static String ascii(String name) {
    return name.replaceAll("[^\\x00-\\x7f]", "");
  }

  private static String type(int t) {
    return switch (t) {
      case 0 -> "NOTYPE";
      case 1 -> "OBJECT";
      case 2 -> "FUNC";
      case 3 -> "SECTION";
      case 4 -> "FILE";
      case 5 -> "COMMON";
      case 6 -> "TLS";
      case 10 -> "IFUNC";
      default -> "<" + t + ">";
    };
  }

  private static String bind(int b) {
    return switch (b) {
      case 0 -> "LOCAL";
      case 1 -> "GLOBAL";
      case 2 -> "WEAK";
      case 10 -> "UNIQUE";
      default -> "<" + b + ">";
    };
  }

  /** readelf --dyn-syms -W of a batch, by file, in our line format (versions dropped). */
  private static Map<String, List<String>> readelf(List<Path> batch)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("readelf", "--dyn-syms", "-W"));
    batch.forEach(p -> cmd.add(p.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("readelf timed out");
    }
    Map<String, List<String>> byFile = new HashMap<>();
    String current = batch.size() == 1 ? batch.get(0).toString() : null;
    if (current != null) {
      byFile.put(current, new ArrayList<>());
    }
    for (String l : out.split("\n")) {
      Matcher f = FILE.matcher(l);
      if (f.matches()) {
        current = f.group(1);
        byFile.put(current, new ArrayList<>());
        continue;
      }
      // STB_GNU_UNIQUE in an object without the GNU OS/ABI.
      Matcher e = ENTRY.matcher(l.replace("<OS specific>: 10", "UNIQUE"));
      if (e.matches() && current != null) {
        String size = e.group(3);
        long sz =
            size.startsWith("0x")
                ? Long.parseUnsignedLong(size.substring(2), 16)
                : Long.parseLong(size);
        String name = ascii(e.group(8) == null ? "" : e.group(8));
        name = VERSION.matcher(name).replaceFirst("");
        byFile
            .get(current)
            .add(
                String.join(
                    " ",
                    e.group(1),
                    Long.toUnsignedString(Long.parseUnsignedLong(e.group(2), 16)),
                    Long.toUnsignedString(sz),
                    e.group(4),
                    e.group(5),
                    e.group(6),
                    e.group(7),
                    name));
      }
    }
    return byFile;
  }

  private static String firstDifference(List<String> ours, List<String> theirs) {
    for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
      if (!ours.get(i).equals(theirs.get(i))) {
        return "entry " + i + ": ours [" + ours.get(i) + "], readelf [" + theirs.get(i) + "]";
      }
    }
    return "ours " + ours.size() + " entries, readelf " + theirs.size();
  }

  private static ByteBuffer map(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
  }

  private static boolean isElf(Path p) {
    try (var in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4
          && head[0] == 0x7f
          && head[1] == 'E'
          && head[2] == 'L'
          && head[3] == 'F';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean readelfWorks() {
    try {
      Process p = new ProcessBuilder("readelf", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static {
    Locale.setDefault(Locale.ROOT);
  }
}
