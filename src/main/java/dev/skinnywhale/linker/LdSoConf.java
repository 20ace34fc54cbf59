package dev.skinnywhale.linker;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /etc/ld.so.conf} as ldconfig reads it, inside an image: {@code #} starts a comment; {@code
 * include PATTERN...} reads every file matching each glob (relative patterns are relative to the
 * including file's directory; matches sorted, as glob(3) returns them); {@code hwcap} lines are
 * ignored; every other word (separated by blanks, ':' or ',') is a directory, with an old-style
 * {@code =TYPE} suffix dropped. Include cycles are cut.
 *
 * <p>The loader itself never reads this file: ldconfig builds ld.so.cache from it. The resolver
 * uses these directories only when the image has no usable ld.so.cache, in place of the cache.
 */
public final class LdSoConf {
  public static final String DEFAULT_PATH = "/etc/ld.so.conf";
  private static final int MAX_FILE = 1 << 20;
  private static final int MAX_DEPTH = 16;

  private final List<String> directories;
  private final List<String> filesRead;

  private LdSoConf(List<String> directories, List<String> filesRead) {
    this.directories = List.copyOf(directories);
    this.filesRead = List.copyOf(filesRead);
  }

  /** The directories named, in order, each once (normalised, trailing '/' dropped). */
  public List<String> directories() {
    return directories;
  }

  /** Every configuration file that was read (real paths), in order. */
  public List<String> filesRead() {
    return filesRead;
  }

  /** Reads {@code path} and its includes in {@code fs}; a missing file gives no directories. */
  public static LdSoConf read(RootFs fs, String path) {
    State state = new State(fs);
    state.readFile(path, 0);
    return new LdSoConf(new ArrayList<>(state.dirs), state.files);
  }

  private static final class State {
    final RootFs fs;
    final LinkedHashSet<String> dirs = new LinkedHashSet<>();
    final List<String> files = new ArrayList<>();
    final Set<String> seen = new HashSet<>();

    State(RootFs fs) {
      this.fs = fs;
    }

    void readFile(String path, int depth) {
      String real = fs.resolve(path).finalPath();
      if (depth > MAX_DEPTH || !seen.add(real)) {
        return;
      }
      Optional<String> text = text(real);
      if (text.isEmpty()) {
        return;
      }
      files.add(real);
      String dir = FsPath.parent(FsPath.normalize(path)).orElse(FsPath.ROOT);
      for (String rawLine : text.get().split("\n")) {
        int hash = rawLine.indexOf('#');
        String line = (hash >= 0 ? rawLine.substring(0, hash) : rawLine).strip();
        if (line.isEmpty()) {
          continue;
        }
        String[] words = line.split("[\\s]+");
        if (words[0].equals("include")) {
          for (int i = 1; i < words.length; i++) {
            for (String match : glob(FsPath.resolve(dir, words[i]))) {
              readFile(match, depth + 1);
            }
          }
        } else if (words[0].equals("hwcap")) {
          continue;
        } else {
          for (String word : line.split("[\\s:,]+")) {
            int eq = word.indexOf('=');
            String d = eq >= 0 ? word.substring(0, eq) : word;
            if (d.startsWith("/")) {
              dirs.add(FsPath.normalize(d));
            }
          }
        }
      }
    }

    Optional<String> text(String path) {
      Optional<FsNode.RegularFile> file = fs.file(path);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      try {
        ByteBuffer b = file.get().content().read(MAX_FILE);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    /** Expands a glob component by component, following symlinked directories; sorted matches. */
    List<String> glob(String pattern) {
      List<String> current = List.of(FsPath.ROOT);
      for (String part : FsPath.normalize(pattern).substring(1).split("/")) {
        if (part.isEmpty()) {
          continue;
        }
        List<String> next = new ArrayList<>();
        if (!isGlob(part)) {
          for (String c : current) {
            String p = FsPath.resolve(c, part);
            if (fs.resolve(p).found()) {
              next.add(p);
            }
          }
        } else {
          Pattern regex = Pattern.compile(globToRegex(part));
          for (String c : current) {
            String real = fs.resolve(c).finalPath();
            if (!fs.isDirectory(real)) {
              continue;
            }
            for (FsNode child : fs.children(real)) {
              String name = FsPath.name(child.path());
              if (regex.matcher(name).matches()
                  && (!name.startsWith(".") || part.startsWith("."))) {
                next.add(FsPath.resolve(c, name));
              }
            }
          }
        }
        current = next;
      }
      return current.stream().sorted().toList();
    }
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** A glob(3) component as a regular expression: '*', '?', bracket expressions ('!' negates). */
  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            re.append("\\[");
          } else {
            String body = glob.substring(i + 1, close);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
            i = close;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
