package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for one DT_NEEDED name the way a loader's rules say. A candidate that is missing, not ELF,
 * broken, or of another class or machine means "keep searching"; glibc-hwcaps variants found on the
 * way are kept, and the search ends at the first plain library that fits.
 *
 * <p>A name is resolved once per search context (the loader, the requester's class and machine, and
 * the ordered list of places searched); glibc would reuse an already loaded object of the same
 * soname even when a later requester's search would find another file, so this can keep more, never
 * less. Not thread-safe.
 */
final class LibrarySearch {
  private final ImageFiles files;
  private final Map<SearchKey, Search> searches = new HashMap<>();

  private record SearchKey(String name, ElfKind kind, List<SearchStep> steps, String loader) {}

  LibrarySearch(ImageFiles files) {
    this.files = files;
  }

  /** The file(s) {@code requester} loads for the DT_NEEDED entry {@code rawName}. */
  Search needed(
      LoadedObject requester, String rawName, LoaderRules rules, List<String> ldLibraryPath) {
    Optional<String> expanded = rules.neededName(rawName, requester);
    if (expanded.isEmpty()) {
      return Search.none("cannot expand dynamic string tokens in " + rawName);
    }
    String name = expanded.get();
    Optional<Located> builtin = rules.builtin(name);
    if (builtin.isPresent()) {
      return Search.of(builtin.get());
    }
    if (name.contains("/")) {
      return direct(name, requester.info());
    }
    List<SearchStep> steps = List.copyOf(rules.steps(requester, ldLibraryPath));
    SearchKey key = new SearchKey(name, new ElfKind(requester.info()), steps, rules.name());
    Search s = searches.get(key);
    if (s == null) {
      s = search(name, requester.info(), steps, rules);
      searches.put(key, s);
    }
    return s;
  }

  /**
   * The files {@link #needed} would read first for the same arguments, found without reading any:
   * the candidates in search order up to the first that is not an hwcaps one. For fetching them
   * ahead in one batch where content is read lazily; a search that then rejects one reads on.
   */
  List<String> likelyFiles(
      LoadedObject requester, String rawName, LoaderRules rules, List<String> ldLibraryPath) {
    Optional<String> expanded = rules.neededName(rawName, requester);
    if (expanded.isEmpty() || rules.builtin(expanded.get()).isPresent()) {
      return List.of();
    }
    String name = expanded.get();
    if (name.contains("/")) {
      Located l = files.locate(name);
      return l.found() ? List.of(l.finalPath()) : List.of();
    }
    List<String> out = new ArrayList<>();
    for (SearchStep step : rules.steps(requester, ldLibraryPath)) {
      for (LoaderRules.Candidate c : rules.candidates(step, name, requester.info())) {
        Located l = files.locate(c.path());
        if (l.found()) {
          out.add(l.finalPath());
          if (!c.hwcaps()) {
            return out;
          }
        }
      }
    }
    return out;
  }

  /** A name with '/' is not searched: it is the path, taken relative to the root. */
  private Search direct(String name, ElfInfo requester) {
    Located l = files.locate(name);
    List<BrokenFile> broken = new ArrayList<>();
    Optional<String> why = check(l, requester, broken);
    if (why.isEmpty()) {
      return new Search(List.of(l), List.of(), broken);
    }
    return new Search(List.of(), List.of(l.path() + " (" + why.get() + ")"), broken);
  }

  private Search search(String name, ElfInfo requester, List<SearchStep> steps, LoaderRules rules) {
    List<Located> found = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<BrokenFile> broken = new ArrayList<>();
    Set<String> tried = new HashSet<>();
    for (SearchStep step : steps) {
      for (LoaderRules.Candidate c : rules.candidates(step, name, requester)) {
        Located l = files.locate(c.path());
        if (!l.found()) {
          continue;
        }
        if (!tried.add(l.finalPath() + "\0" + l.path())) {
          continue;
        }
        Optional<String> why = check(l, requester, broken);
        if (why.isPresent()) {
          skipped.add(l.path() + " (" + why.get() + ")");
          continue;
        }
        found.add(l);
        if (!c.hwcaps()) {
          return new Search(found, skipped, broken);
        }
      }
    }
    if (found.isEmpty()) {
      skipped.add(0, "searched " + SearchStep.describe(steps));
    }
    return new Search(found, skipped, broken);
  }

  /** Why a found file cannot serve {@code requester}, or empty when it can. */
  private Optional<String> check(Located l, ElfInfo requester, List<BrokenFile> broken) {
    if (!l.found()) {
      return Optional.of(l.failure().orElse("not found"));
    }
    FileContent c = files.content(l.finalPath());
    if (c instanceof FileContent.Elf e) {
      if (!e.info().compatibleWith(requester)) {
        return Optional.of(
            "wrong class or machine: " + e.info().elfClass() + " machine " + e.info().machine());
      }
      return Optional.empty();
    }
    if (c instanceof FileContent.Broken b) {
      broken.add(new BrokenFile(l.finalPath(), b.reason()));
      return Optional.of("broken: " + b.reason());
    }
    return Optional.of("not an ELF file");
  }
}
