package dev.skinnywhale.linker;

import dev.skinnywhale.elf.ElfInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * musl's search ({@code ldso/dynlink.c}), chosen when PT_INTERP is {@code ld-musl-$ARCH.so.1}:
 * names {@code libc.*}, {@code libpthread.*}, {@code librt.*}, {@code libm.*}, {@code libdl.*},
 * {@code libutil.*}, {@code libxnet.*} are the interpreter itself; else LD_LIBRARY_PATH → the
 * DT_RUNPATH or DT_RPATH of the requester and each loader up the chain (only {@code $ORIGIN}
 * expanded) → {@code /etc/ld-musl-$ARCH.path} or {@code /lib:/usr/local/lib:/usr/lib}. No cache, no
 * glibc-hwcaps, no DT_SONAME matching, tokens in DT_NEEDED names left as written.
 */
final class MuslRules implements LoaderRules {
  private static final List<String> DEFAULT_PATH = List.of("/lib", "/usr/local/lib", "/usr/lib");
  private static final List<String> RESERVED =
      List.of("c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet.");

  private final LoaderConfig config;
  private final Optional<Located> interp;
  private final String arch;

  /**
   * @param interp the loader itself, when it was found
   * @param arch the $ARCH of its name, which names the path file
   */
  MuslRules(LoaderConfig config, Optional<Located> interp, String arch) {
    this.config = config;
    this.interp = interp;
    this.arch = arch;
  }

  @Override
  public String name() {
    return "musl";
  }

  @Override
  public boolean matchesSoname() {
    return false;
  }

  @Override
  public List<String> inheritedPath(ElfInfo info) {
    return info.hasRunpath() ? info.runpath() : info.rpath();
  }

  @Override
  public Optional<String> tokenValue(String token, LoadedObject owner) {
    return token.equals("ORIGIN") ? Optional.of(owner.origin()) : Optional.empty();
  }

  @Override
  public Optional<String> neededName(String raw, LoadedObject requester) {
    return Optional.of(raw);
  }

  @Override
  public Optional<Located> builtin(String name) {
    return isReserved(name) ? interp : Optional.empty();
  }

  @Override
  public List<SearchStep> steps(LoadedObject requester, List<String> ldLibraryPath) {
    List<SearchStep> steps = new ArrayList<>();
    SearchStep.addAll(steps, SearchStep.Kind.LD_LIBRARY_PATH, ldLibraryPath);
    SearchStep.addAll(steps, SearchStep.Kind.RPATH, requester.chain());
    SearchStep.addAll(
        steps, SearchStep.Kind.SYSTEM, config.muslPathFile(arch).orElse(DEFAULT_PATH));
    return steps;
  }

  @Override
  public List<Candidate> candidates(SearchStep step, String name, ElfInfo requester) {
    return List.of(Candidate.plain(step, name));
  }

  static boolean isReserved(String name) {
    if (!name.startsWith("lib")) {
      return false;
    }
    for (String r : RESERVED) {
      if (name.startsWith(r, 3)) {
        return true;
      }
    }
    return false;
  }
}
