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
 * including file's directory; matches sorted, as glob(3) returns them; {@link ConfGlob}); {@code
 * hwcap} lines are ignored; every other word (separated by blanks, ':' or ',') is a directory, with
 * an old-style {@code =TYPE} suffix dropped. Each file is read once (by its real path), so an
 * include cycle is cut.
 *
 * <p>Budgets, each reached one of {@link #problems()}, naming the file and the limit: at most
 * {@value #MAX_FILE} bytes of a file are read, includes nest at most {@value #MAX_DEPTH} deep, at
 * most {@value #MAX_FILES} files are read, and the glob limits of {@link ConfGlob}.
 *
 * <p>The loader itself never reads this file: ldconfig builds ld.so.cache from it. The resolver
 * uses these directories only when the image has no usable ld.so.cache, in place of the cache.
 */
public final class LdSoConf {
  public static final String DEFAULT_PATH = "/etc/ld.so.conf";
  static final int MAX_FILE = 1 << 20;
  static final int MAX_DEPTH = 16;
  static final int MAX_FILES = 1024;

  private final List<String> directories;
  private final List<String> filesRead;
  private final List<BrokenFile> problems;

  private LdSoConf(List<String> directories, List<String> filesRead, List<BrokenFile> problems) {
    this.directories = List.copyOf(directories);
    this.filesRead = List.copyOf(filesRead);
    this.problems = List.copyOf(problems);
  }

  /** The directories named, in order, each once (normalised, trailing '/' dropped). */
  public List<String> directories() {
    return directories;
  }

  /** Every configuration file that was read (real paths), in order. */
  public List<String> filesRead() {
    return filesRead;
  }

  /** Each budget that was reached, once, with the file where it was. */
  public List<BrokenFile> problems() {
    return problems;
  }

  /** Reads {@code path} and its includes in {@code fs}; a missing file gives no directories. */
  public static LdSoConf read(RootFs fs, String path) {
    State state = new State(fs);
    state.readFile(path, 0);
    return new LdSoConf(new ArrayList<>(state.dirs), state.files, state.problems);
  }

  private static final class State {
    final RootFs fs;
    final ConfGlob glob;
    final LinkedHashSet<String> dirs = new LinkedHashSet<>();
    final List<String> files = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final List<BrokenFile> problems = new ArrayList<>();
    boolean depthSaid;
    boolean filesSaid;

    State(RootFs fs) {
      this.fs = fs;
      this.glob = new ConfGlob(fs);
    }

    void readFile(String path, int depth) {
      String real = fs.resolve(path).finalPath();
      if (seen.contains(real)) {
        return;
      }
      Optional<FsNode.RegularFile> file = fs.file(real);
      if (file.isEmpty()) {
        return;
      }
      if (depth > MAX_DEPTH) {
        if (!depthSaid) {
          depthSaid = true;
          problem(real, "included more than " + MAX_DEPTH + " levels deep; not read");
        }
        return;
      }
      if (files.size() >= MAX_FILES) {
        if (!filesSaid) {
          filesSaid = true;
          problem(real, "more than " + MAX_FILES + " ld.so.conf files included; the rest not read");
        }
        return;
      }
      seen.add(real);
      Optional<String> text = text(real, file.get());
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
            include(real, FsPath.resolve(dir, words[i]), depth);
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

    /**
     * One include pattern of {@code from}. A pattern expanded before gives only files already read
     * or still to be read where it was first expanded (each file is read once), so it is not walked
     * again.
     */
    private void include(String from, String pattern, int depth) {
      if (glob.expanded(pattern)) {
        return;
      }
      ConfGlob.Expansion e = glob.expand(pattern);
      e.problem().ifPresent(p -> problem(from, p));
      for (String match : e.matches()) {
        readFile(match, depth + 1);
      }
    }

    private void problem(String file, String what) {
      problems.add(new BrokenFile(file, what));
    }

    Optional<String> text(String path, FsNode.RegularFile file) {
      try {
        if (file.size() > MAX_FILE) {
          problem(path, "larger than " + MAX_FILE + " bytes; only the first " + MAX_FILE + " read");
        }
        ByteBuffer b = file.content().read(MAX_FILE);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        return Optional.empty();
      }
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
