package dev.skinnywhale.workflow;

import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.tar.TarStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The hostile images of {@link HostileImagesIT}, one small single-layer image per attack, generated
 * in code (names are ISO-8859-1 strings: one char per byte) and imported with {@code docker
 * import}. Every input is fixed: the same run gives the same layers.
 */
final class HostileImages {
  /** A name with a newline, one with bytes that are not UTF-8, option-like ones. */
  static final List<String> ODD_NAMES =
      List.of(
          "/srv/odd/new\nline",
          "/srv/odd/caf\u00e9",
          "/srv/odd/\u00ff\u00fe",
          "/srv/odd/-rf",
          "/srv/odd/--help",
          "/srv/odd/ lead and trail ",
          "/srv/odd/tab\there");

  /** A path of 4,000 bytes: 16 components of up to 250 bytes under /srv/long, then a file. */
  static final String LONG_PATH = longPath();

  private static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L);

  private HostileImages() {}

  /** One layer, entry by entry. */
  static final class Layer {
    private final List<Entry> entries = new ArrayList<>();

    private record Entry(char type, String name, byte[] data, String link) {}

    Layer dir(String path) {
      entries.add(new Entry('5', path, new byte[0], ""));
      return this;
    }

    Layer file(String path, byte[] data) {
      entries.add(new Entry('0', path, data, ""));
      return this;
    }

    Layer file(String path, String text) {
      return file(path, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Layer symlink(String path, String target) {
      entries.add(new Entry('2', path, new byte[0], target));
      return this;
    }

    void writeTo(OutputStream out) throws IOException {
      TarStreamWriter tar = new TarStreamWriter(out);
      for (Entry e : entries) {
        String name = e.name().substring(1);
        switch (e.type()) {
          case '5' -> tar.addDirectory(name, meta(0755));
          case '2' -> tar.addSymlink(name, meta(0777), e.link());
          default ->
              tar.addFile(name, meta(0644), e.data().length, new ByteArrayInputStream(e.data()));
        }
      }
      tar.finish();
    }

    private static NodeMeta meta(int mode) {
      return new NodeMeta(mode, 0, 0, "root", "root", MTIME, Map.of());
    }
  }

  /** A program of the image that needs {@code names}: the closure must look for them. */
  static byte[] program(List<String> names, int entries) {
    return HostileBytes.elf(HostileBytes.GLIBC_LOADER, Optional.empty(), names, entries);
  }

  /** An ordinary small image: /etc, a program needing one missing library. */
  static Layer plain() {
    return base();
  }

  /** ld.so.conf whose include glob fans out 8 ways per level through symlinks to its own dir. */
  static Layer ldConfLoop() {
    Layer l = base().dir("/etc/ld.so.conf.d").dir("/etc/ld.so.conf.d/loop");
    for (int i = 0; i < 8; i++) {
      l.symlink("/etc/ld.so.conf.d/loop/l" + i, ".");
    }
    return l.file("/etc/ld.so.conf", "include /etc/ld.so.conf.d/loop/*/*/*/*/*/*/*/*/*.conf\n");
  }

  /** 5,000 include files, each including every one of them again. */
  static Layer ldConfIncludes() {
    Layer l = base().dir("/etc/ld.so.conf.d");
    l.file("/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
    for (int i = 0; i < 5_000; i++) {
      l.file(
          String.format("/etc/ld.so.conf.d/%04d.conf", i), "include *.conf\n/opt/lib" + i + "\n");
    }
    return l;
  }

  /** A 1.2 MB ld.so.cache: 40,000 entries all naming one 250 KB string. */
  static Layer ldSoCache() {
    return base().file("/etc/ld.so.cache", HostileBytes.degenerateLdSoCache(40_000, 250_000));
  }

  /** One ELF with 1,000,000 DT_NEEDED entries (1,000 names, each missing). */
  static Layer neededFlood() {
    List<String> names = IntStream.range(0, 1_000).mapToObj(i -> "libflood" + i + ".so").toList();
    return skeleton().file("/usr/bin/flood", program(names, 1_000_000));
  }

  /** 1,000 programs needing 10 missing libraries each: 10,000 missing libraries. */
  static Layer missingLibraries() {
    Layer l = skeleton().dir("/opt").dir("/opt/bin");
    for (int p = 0; p < 1_000; p++) {
      int at = p;
      List<String> names =
          IntStream.range(0, 10).mapToObj(i -> "libm" + at + "x" + i + ".so").toList();
      l.file(String.format("/opt/bin/p%04d", p), program(names, names.size()));
    }
    return l;
  }

  /** Odd names and a 4,000-byte path, beside an ordinary program. */
  static Layer oddNames() {
    Layer l = base().dir("/srv").dir("/srv/odd");
    for (String n : ODD_NAMES) {
      l.file(n, "odd\n");
    }
    String dir = "/srv/long";
    l.dir(dir);
    for (String part : LONG_PATH.substring(dir.length() + 1).split("/")) {
      if (!part.equals("f")) {
        dir = dir + "/" + part;
        l.dir(dir);
      }
    }
    return l.file(LONG_PATH, "deep\n");
  }

  /**
   * Symlinks that point out of the root (relative and absolute, at the host's {@code canaryDir}),
   * loops, a library search path through an escaping directory link, and a dangling link.
   */
  static Layer symlinks(String canaryDir) {
    String up = "../../../../../../../..";
    return skeleton()
        .dir("/opt")
        .symlink("/etc/shadow-up", up + "/etc/shadow")
        .symlink("/etc/canary-up", up + canaryDir + "/secret")
        .symlink("/etc/canary-abs", canaryDir + "/secret")
        .symlink("/opt/esc", up + canaryDir)
        .symlink("/opt/abs", canaryDir)
        .symlink("/opt/loop-a", "loop-b")
        .symlink("/opt/loop-b", "loop-a")
        .symlink("/opt/self", "self")
        .symlink("/etc/resolv.conf", "../run/systemd/resolve/stub-resolv.conf")
        .file(
            "/usr/bin/escaper",
            HostileBytes.elf(
                HostileBytes.GLIBC_LOADER,
                Optional.of("/opt/esc:/opt/abs:/opt/loop-a:/opt/self"),
                List.of("libcanary.so", "libloop.so"),
                2));
  }

  /** Imports {@code layer} as image {@code tag} (written to a file in {@code dir} first). */
  static void importImage(Layer layer, String tag, Path dir) {
    Path file = dir.resolve(tag.replaceAll("[^a-z0-9]", "_") + ".tar");
    try {
      try (OutputStream out = Files.newOutputStream(file)) {
        layer.writeTo(out);
      }
      DockerCli.ok(
          "import", "--change", "LABEL dev.skinnywhale.test=hostile", file.toString(), tag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** /etc and a program needing a missing library, so that the loader configuration is read. */
  private static Layer base() {
    return skeleton().file("/usr/bin/app", program(List.of("libmissing.so.1"), 1));
  }

  private static Layer skeleton() {
    return new Layer().dir("/etc").dir("/usr").dir("/usr/bin").dir("/tmp");
  }

  private static String longPath() {
    StringBuilder p = new StringBuilder("/srv/long");
    for (int i = 0; i < 15; i++) {
      p.append('/').append(String.valueOf((char) ('a' + i)).repeat(250));
    }
    p.append('/').append("p".repeat(4_000 - p.length() - 3)).append("/f");
    return p.toString();
  }
}
