package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image's loader configuration, each part read once: which loader runs a program (by its
 * PT_INTERP), glibc's /etc/ld.so.cache and the directories of /etc/ld.so.conf, and musl's {@code
 * /etc/ld-musl-$ARCH.path}. What the loaders do with it is theirs ({@link LoaderRules}).
 *
 * <p>Not thread-safe.
 */
final class LoaderConfig {
  static final String LD_SO_CACHE = "/etc/ld.so.cache";
  private static final String MUSL_LOADER_PREFIX = "ld-musl-";
  private static final String MUSL_LOADER_SUFFIX = ".so.1";

  private final RootFs fs;
  private final ImageFiles files;
  private final GlibcRules glibc;
  private final Map<String, Optional<List<String>>> muslPaths = new HashMap<>();
  private Optional<Optional<LdSoCache>> cache = Optional.empty();
  private Optional<BrokenFile> cacheProblem = Optional.empty();
  private Optional<LdSoConf> conf = Optional.empty();

  LoaderConfig(RootFs fs, ImageFiles files) {
    this.fs = fs;
    this.files = files;
    this.glibc = new GlibcRules(this, fs);
  }

  /**
   * The rules of the loader that runs {@code info}: musl's when its PT_INTERP is {@code
   * ld-musl-*.so.1}, else glibc's. A library as the root (no PT_INTERP) is musl's when it needs
   * musl's libc, or the image has musl's loader in /lib and no glibc cache.
   *
   * @param interp the program's interpreter, when it was found and is an ELF file
   */
  LoaderRules rulesFor(ElfInfo info, Optional<Located> interp) {
    Optional<String> interpName = info.interpreter().map(FsPath::name);
    if (interpName.isPresent()) {
      String n = interpName.get();
      return isMuslLoader(n) ? new MuslRules(this, interp, muslArch(n)) : glibc;
    }
    boolean needsMusl = info.needed().stream().anyMatch(n -> n.startsWith("libc.musl-"));
    List<FsNode> muslLoaders =
        fs.children("/lib").stream().filter(n -> isMuslLoader(FsPath.name(n.path()))).toList();
    if (!muslLoaders.isEmpty() && (needsMusl || fs.file(LD_SO_CACHE).isEmpty())) {
      String path = muslLoaders.get(0).path();
      Located l = files.locate(path);
      return new MuslRules(
          this, l.found() ? Optional.of(l) : Optional.empty(), muslArch(FsPath.name(path)));
    }
    return glibc;
  }

  private static boolean isMuslLoader(String name) {
    return name.startsWith(MUSL_LOADER_PREFIX) && name.endsWith(MUSL_LOADER_SUFFIX);
  }

  private static String muslArch(String loaderName) {
    return loaderName.substring(
        MUSL_LOADER_PREFIX.length(), loaderName.length() - MUSL_LOADER_SUFFIX.length());
  }

  /** The image's ld.so.cache, empty when missing or unreadable (the loader then ignores it). */
  Optional<LdSoCache> cache() {
    if (cache.isEmpty()) {
      Optional<LdSoCache> c = Optional.empty();
      Optional<FsNode.RegularFile> file = fs.file(LD_SO_CACHE);
      if (file.isPresent()) {
        try {
          c = Optional.of(LdSoCache.parse(file.get().content().read(file.get().size())));
        } catch (LdSoCacheFormatException | IOException e) {
          cacheProblem = Optional.of(new BrokenFile(LD_SO_CACHE, e.getMessage()));
        }
      }
      cache = Optional.of(c);
    }
    return cache.get();
  }

  /** Why the ld.so.cache could not be used, once something has looked at it. */
  Optional<BrokenFile> cacheProblem() {
    return cacheProblem;
  }

  /** The directories of /etc/ld.so.conf, includes followed. */
  List<String> confDirs() {
    if (conf.isEmpty()) {
      conf = Optional.of(LdSoConf.read(fs, LdSoConf.DEFAULT_PATH));
    }
    return conf.get().directories();
  }

  /** The budgets /etc/ld.so.conf reached, once something has read it. */
  List<BrokenFile> confProblems() {
    return conf.map(LdSoConf::problems).orElse(List.of());
  }

  /**
   * The directories of musl's {@code /etc/ld-musl-$ARCH.path} (':' or newline separated, at most 64
   * KiB read); empty when it is missing or unreadable.
   */
  Optional<List<String>> muslPathFile(String arch) {
    return muslPaths.computeIfAbsent(arch, this::readMuslPath);
  }

  private Optional<List<String>> readMuslPath(String arch) {
    Optional<FsNode.RegularFile> file = fs.file("/etc/ld-musl-" + arch + ".path");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String text;
    try {
      ByteBuffer b = file.get().content().read(1 << 16);
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String d : text.split("[:\n]")) {
      if (!d.isEmpty()) {
        out.add(d);
      }
    }
    return Optional.of(List.copyOf(out));
  }
}
