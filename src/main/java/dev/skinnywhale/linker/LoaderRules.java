package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one dynamic linker searches for a DT_NEEDED name: glibc's {@code elf/dl-load.c} ({@link
 * GlibcRules}) or musl's {@code ldso/dynlink.c} ({@link MuslRules}). What the two share lives here:
 * the grammar of dynamic string tokens and how a list of search directories is expanded.
 *
 * <p>{@code $ORIGIN}: for a program, the directory of its real path (as /proc/self/exe gives); for
 * a library, the directory of the path it was found by (glibc's l_name, not a realpath). Relative
 * search directories are taken relative to the root (the working directory is unknown), an empty
 * element as ".".
 */
sealed interface LoaderRules permits GlibcRules, MuslRules {

  /** Tells the loaders apart where searches are memoised: "glibc" or "musl". */
  String name();

  /** Whether a loaded object also answers to its DT_SONAME (glibc), not only to its name (musl). */
  boolean matchesSoname();

  /**
   * The raw search path an object adds to the chain its dependencies inherit: glibc's effective
   * DT_RPATH (none when it has DT_RUNPATH), musl's DT_RUNPATH or DT_RPATH.
   */
  List<String> inheritedPath(ElfInfo info);

  /**
   * The value of a dynamic string token for {@code owner}: empty when this loader knows no such
   * token, the empty string when it knows it but has no value for it.
   */
  Optional<String> tokenValue(String token, LoadedObject owner);

  /** The name to look for, from a DT_NEEDED entry; empty when it cannot be expanded. */
  Optional<String> neededName(String raw, LoadedObject requester);

  /** The object a name stands for without any search (musl's built-in libraries). */
  Optional<Located> builtin(String name);

  /** Where {@code requester} looks for a name without '/', in order. */
  List<SearchStep> steps(LoadedObject requester, List<String> ldLibraryPath);

  /** The paths to try at one step, in order; a search ends at the first plain one that fits. */
  List<Candidate> candidates(SearchStep step, String name, ElfInfo requester);

  /**
   * A path to try; {@code hwcaps} when it is a glibc-hwcaps variant, tried before the plain one.
   */
  record Candidate(String path, boolean hwcaps) {
    static Candidate plain(SearchStep step, String name) {
      return new Candidate(step.dir() + "/" + name, false);
    }
  }

  /**
   * The directories {@code owner} adds to the chain, expanded; those that cannot be are dropped.
   */
  default List<String> ownChain(LoadedObject owner) {
    return expandDirs(inheritedPath(owner.info()), owner);
  }

  /**
   * Search directories as written in the ELF file or the environment, expanded for {@code owner}.
   */
  default List<String> expandDirs(List<String> dirs, LoadedObject owner) {
    List<String> out = new ArrayList<>();
    for (String dir : dirs) {
      expand(dir.isEmpty() ? "." : dir, owner).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Expands the tokens this loader knows, as {@code $NAME} or {@code ${NAME}}. Empty when a known
   * token has no value (the loader drops such an element). Unknown tokens stay as written.
   */
  default Optional<String> expand(String s, LoadedObject owner) {
    if (s.indexOf('$') < 0) {
      return Optional.of(s);
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      boolean braced = i + 1 < s.length() && s.charAt(i + 1) == '{';
      int start = braced ? i + 2 : i + 1;
      int end = start;
      while (end < s.length()
          && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
        end++;
      }
      Optional<String> value =
          braced && (end >= s.length() || s.charAt(end) != '}')
              ? Optional.empty()
              : tokenValue(s.substring(start, end), owner);
      if (value.isEmpty()) {
        out.append(c);
        i++;
        continue;
      }
      if (value.get().isEmpty()) {
        return Optional.empty();
      }
      out.append(value.get());
      i = braced ? end + 1 : end;
    }
    return Optional.of(out.toString());
  }
}
