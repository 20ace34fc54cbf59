package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfClass;
import dev.skinnywhale.elf.ElfInfo;
import dev.skinnywhale.rootfs.RootFs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * glibc's search ({@code elf/dl-load.c}), for each DT_NEEDED name without '/': the DT_RPATH of the
 * requester, then of the object that loaded it, and so on up to the program (all skipped when the
 * requester has DT_RUNPATH; an object with DT_RUNPATH has no effective DT_RPATH) → LD_LIBRARY_PATH
 * → the requester's own DT_RUNPATH → /etc/ld.so.cache (entries under the default directories
 * skipped when the requester has DF_1_NODEFLIB) → the default directories (unless DF_1_NODEFLIB).
 * Every directory is tried with its glibc-hwcaps subdirectories first. Where this model chooses, it
 * says so:
 *
 * <ul>
 *   <li>Default directories: the Debian multiarch pair {@code /lib/<triplet> /usr/lib/<triplet>}
 *       then {@code /lib /usr/lib} when the image has a multiarch directory (Debian's ld.so prints
 *       exactly this list); otherwise {@code /lib64 /usr/lib64} (64-bit, RHEL-like) then {@code
 *       /lib /usr/lib}.
 *   <li>{@code $LIB} is {@code lib/<triplet>} on a multiarch image (as Debian's loader expands it),
 *       else {@code lib64} or {@code lib}; {@code $PLATFORM} is the generic platform (x86_64,
 *       aarch64, i686), not the CPU-specific one (haswell) a real loader may use.
 *   <li>No usable ld.so.cache: the default directories are searched, as the loader does, and then
 *       the directories of /etc/ld.so.conf (with includes) — what ldconfig would have put into a
 *       cache — so a library only they hold is still kept.
 *   <li>glibc-hwcaps: the CPU is unknown, so every variant found before the plain library is kept;
 *       the legacy hwcap subdirectories of glibc &lt; 2.37 (tls, haswell, x86_64…) are not
 *       modelled.
 * </ul>
 */
final class GlibcRules implements LoaderRules {
  private final LoaderConfig config;
  private final RootFs fs;
  private final Map<ElfKind, DefaultDirs> defaultDirs = new HashMap<>();

  GlibcRules(LoaderConfig config, RootFs fs) {
    this.config = config;
    this.fs = fs;
  }

  /** The default directories for a requester's ABI, and its value of {@code $LIB}. */
  record DefaultDirs(List<String> system, String lib) {
    DefaultDirs {
      system = List.copyOf(system);
    }
  }

  DefaultDirs defaultDirs(ElfInfo info) {
    return defaultDirs.computeIfAbsent(
        new ElfKind(info),
        k -> {
          Abi abi = Abi.of(info);
          Optional<String> triplet =
              abi.multiarch()
                  .filter(t -> fs.isDirectory("/lib/" + t) || fs.isDirectory("/usr/lib/" + t));
          if (triplet.isPresent()) {
            String t = triplet.get();
            return new DefaultDirs(
                List.of("/lib/" + t, "/usr/lib/" + t, "/lib", "/usr/lib"), "lib/" + t);
          }
          if (info.elfClass() == ElfClass.ELF64) {
            return new DefaultDirs(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib"), "lib64");
          }
          return new DefaultDirs(List.of("/lib", "/usr/lib"), "lib");
        });
  }

  @Override
  public String name() {
    return "glibc";
  }

  @Override
  public boolean matchesSoname() {
    return true;
  }

  @Override
  public List<String> inheritedPath(ElfInfo info) {
    return info.hasRunpath() ? List.of() : info.rpath();
  }

  @Override
  public Optional<String> tokenValue(String token, LoadedObject owner) {
    return switch (token) {
      case "ORIGIN" -> Optional.of(owner.origin());
      case "LIB" -> Optional.of(defaultDirs(owner.info()).lib());
      case "PLATFORM" -> Optional.of(Abi.of(owner.info()).platform());
      default -> Optional.empty();
    };
  }

  /** DT_NEEDED names may hold dynamic string tokens too. */
  @Override
  public Optional<String> neededName(String raw, LoadedObject requester) {
    return expand(raw, requester);
  }

  @Override
  public Optional<Located> builtin(String name) {
    return Optional.empty();
  }

  @Override
  public List<SearchStep> steps(LoadedObject requester, List<String> ldLibraryPath) {
    ElfInfo info = requester.info();
    List<SearchStep> steps = new ArrayList<>();
    if (!info.hasRunpath()) {
      SearchStep.addAll(steps, SearchStep.Kind.RPATH, requester.chain());
    }
    SearchStep.addAll(steps, SearchStep.Kind.LD_LIBRARY_PATH, ldLibraryPath);
    SearchStep.addAll(steps, SearchStep.Kind.RUNPATH, expandDirs(info.runpath(), requester));
    List<String> system = defaultDirs(info).system();
    boolean nodeflib = info.noDefaultLib();
    if (config.cache().isPresent()) {
      steps.add(
          new SearchStep(nodeflib ? SearchStep.Kind.CACHE_NODEFLIB : SearchStep.Kind.CACHE, ""));
    }
    if (!nodeflib) {
      SearchStep.addAll(steps, SearchStep.Kind.SYSTEM, system);
    }
    if (config.cache().isEmpty()) {
      // Without a cache the loader searches the default directories only; a library that only
      // ld.so.conf's directories hold is looked for there last (it would need a cache at run
      // time: this keeps it, and the missing cache is the image's own problem).
      for (String d : config.confDirs()) {
        if (!nodeflib || !underAny(d + "/", system)) {
          steps.add(new SearchStep(SearchStep.Kind.CONF, d));
        }
      }
    }
    return steps;
  }

  @Override
  public List<Candidate> candidates(SearchStep step, String name, ElfInfo requester) {
    List<Candidate> candidates = new ArrayList<>();
    SearchStep.Kind kind = step.kind();
    if (kind == SearchStep.Kind.CACHE || kind == SearchStep.Kind.CACHE_NODEFLIB) {
      List<String> system = defaultDirs(requester).system();
      for (LdSoCache.Entry e : config.cache().orElseThrow().lookupEntries(name, requester)) {
        if (kind == SearchStep.Kind.CACHE_NODEFLIB && underAny(e.path(), system)) {
          continue;
        }
        candidates.add(new Candidate(e.path(), e.hwcapsVariant()));
      }
      return candidates;
    }
    for (String h : Abi.of(requester).hwcaps()) {
      candidates.add(new Candidate(step.dir() + "/glibc-hwcaps/" + h + "/" + name, true));
    }
    candidates.add(Candidate.plain(step, name));
    return candidates;
  }

  private static boolean underAny(String path, List<String> dirs) {
    for (String d : dirs) {
      if (path.startsWith(d.endsWith("/") ? d : d + "/")) {
        return true;
      }
    }
    return false;
  }
}
