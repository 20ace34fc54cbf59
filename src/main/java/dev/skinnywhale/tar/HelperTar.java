package dev.skinnywhale.tar;

import dev.skinnywhale.rootfs.LazyContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The content of a batch of paths from a tar stream of the tracer's {@code tar} helper mode (or one
 * answer of its {@code serve} mode), read by the safe reader ({@link TarStreamReader}) as it
 * streams: each regular file's content goes to the sink, everything else is skipped. A member named
 * twice, or one not asked for, is an error: the helper writes exactly the paths it was given.
 */
public final class HelperTar {
  private HelperTar() {}

  /** Reads {@code tar} (the answer for {@code asked}) into {@code sink}; closes it. */
  public static void read(InputStream tar, List<String> asked, LazyContent.Sink sink)
      throws IOException {
    Set<String> wanted = new HashSet<>(asked);
    Set<String> seen = new HashSet<>();
    try (TarStreamReader entries = new TarStreamReader(tar)) {
      for (Optional<TarEntry> next = entries.next(); next.isPresent(); next = entries.next()) {
        TarEntry e = next.get();
        if (!wanted.contains(e.path()) || !seen.add(e.path())) {
          throw new TarFormatException(
              "the helper's tar has " + e.path() + ", which was not asked for or came twice");
        }
        if (e.type() == TarEntry.Type.FILE) {
          sink.accept(e.path(), e.size(), entries.content());
        }
      }
    }
  }
}
