package dev.skinnywhale.tracelog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads glibc's {@code LD_DEBUG=libs,files} output ({@code LD_DEBUG_OUTPUT=prefix} writes {@code
 * prefix.<pid>}) into an {@link AccessSet} of {@link AccessKind#LOADED} paths:
 *
 * <ul>
 *   <li>{@code calling init: /abs/path}: loaded;
 *   <li>{@code find library=NAME [0]; searching}, {@code trying file=/path} and then {@code
 *       file=NAME [0]; generating link map}: the last file tried was loaded, the others failed; a
 *       library found through {@code search cache=} names no file here (its {@code calling init}
 *       does);
 *   <li>{@code file=/abs/path [0]; generating link map}: a library loaded by path;
 *   <li>{@code initialize program: NAME}: the program, {@link AccessKind#EXEC}, as given (a bare
 *       name is not resolved here: the PATH is the image's).
 * </ul>
 *
 * Every line starts with the pid right-aligned, a colon and a tab; any other line throws {@link
 * TraceLogException}. Messages it does not use are skipped. Stateless between parses.
 */
public final class LdDebugLogParser {
  private static final Pattern LINE = Pattern.compile(" *(\\d{1,10}):\t?(.*)");
  private static final Pattern FIND = Pattern.compile("find library=(.+?) \\[\\d+\\]; searching");
  private static final Pattern LINK_MAP =
      Pattern.compile("file=(.+?) \\[\\d+\\];  generating link map");
  private static final String TRYING = "trying file=";
  private static final String SEARCH_CACHE = "search cache=";
  private static final String[] INIT = {"calling init: ", "calling preinit: "};
  private static final String PROGRAM = "initialize program: ";

  public AccessSet parse(List<Path> files) throws IOException {
    AccessSet all = AccessSet.empty();
    for (Path file : files) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
        all = all.merge(parse(file.toString(), reader));
      }
    }
    return all;
  }

  /**
   * Reads {@code reader} to its end, line by line (a line longer than 1 MiB is an error); {@code
   * sourceName} names it in errors.
   */
  public AccessSet parse(String sourceName, Reader reader) throws IOException {
    return parse(sourceName, reader, LineBudget.perRun());
  }

  /** As {@link #parse(String, Reader)}, each line counted against {@code budget}. */
  public AccessSet parse(String sourceName, Reader reader, LineBudget budget) throws IOException {
    AccessSetBuilder out = new AccessSetBuilder();
    Map<Integer, Search> searches = new HashMap<>();
    LogLines lines = new LogLines(sourceName, reader, budget);
    for (String line = lines.next(); line != null; line = lines.next()) {
      int number = lines.number();
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new TraceLogException(sourceName, number, line, "not an LD_DEBUG line (pid:\\ttext)");
      }
      long pidValue = Long.parseLong(m.group(1));
      if (pidValue > Integer.MAX_VALUE) {
        throw new TraceLogException(sourceName, number, line, "pid out of range");
      }
      int pid = (int) pidValue;
      String text = m.group(2).strip();
      Search search = searches.computeIfAbsent(pid, p -> new Search());
      Matcher find = FIND.matcher(text);
      Matcher linkMap = LINK_MAP.matcher(text);
      if (find.matches()) {
        search.failAll(out, pid);
        search.name = find.group(1);
      } else if (text.startsWith(TRYING)) {
        search.tried.add(text.substring(TRYING.length()));
        search.lastFromCache = false;
      } else if (text.startsWith(SEARCH_CACHE)) {
        search.lastFromCache = true;
      } else if (linkMap.matches()) {
        String name = linkMap.group(1);
        if (name.startsWith("/")) {
          out.add(PathNames.normalize(name), AccessKind.LOADED, true, pid);
        } else if (name.equals(search.name) && !search.lastFromCache && !search.tried.isEmpty()) {
          String found = search.tried.remove(search.tried.size() - 1);
          out.add(PathNames.normalize(found), AccessKind.LOADED, true, pid);
        }
        search.failAll(out, pid);
      } else if (text.startsWith(PROGRAM) && text.length() > PROGRAM.length()) {
        // The program itself, as the loader was given it: an absolute path, or a name the kernel
        // found on PATH (kept as it is; the caller looks it up in the image).
        String program = text.substring(PROGRAM.length());
        out.add(
            program.startsWith("/") ? PathNames.normalize(program) : program,
            AccessKind.EXEC,
            true,
            pid);
      } else {
        for (String prefix : INIT) {
          if (text.startsWith(prefix) && text.length() > prefix.length() + 1) {
            String path = text.substring(prefix.length());
            if (path.startsWith("/")) {
              out.add(PathNames.normalize(path), AccessKind.LOADED, true, pid);
            }
          }
        }
      }
    }
    searches.forEach((pid, search) -> search.failAll(out, pid));
    return out.build();
  }

  /** The library search a process is in: the files tried so far. Local to one parse. */
  private static final class Search {
    private String name = "";
    private final List<String> tried = new ArrayList<>();
    private boolean lastFromCache;

    void failAll(AccessSetBuilder out, int pid) {
      for (String path : tried) {
        if (path.startsWith("/")) {
          out.add(PathNames.normalize(path), AccessKind.LOADED, false, pid);
        }
      }
      tried.clear();
      name = "";
      lastFromCache = false;
    }
  }
}
