package dev.skinnywhale.linker;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an image's environment the loader and {@code env} look at.
 *
 * @param path PATH, split on ':' (empty elements kept: they mean the working directory)
 * @param ldLibraryPath LD_LIBRARY_PATH, split on ':' and ';' as glibc does; empty when unset
 */
public record LinkerEnv(List<String> path, List<String> ldLibraryPath) {
  /** The PATH used when the image sets none (Docker's default for Linux containers). */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public LinkerEnv {
    path = List.copyOf(path);
    ldLibraryPath = List.copyOf(ldLibraryPath);
  }

  /** From the image config's {@code Env} ("KEY=VALUE" strings; the last of a key wins). */
  public static LinkerEnv fromImageEnv(List<String> env) {
    String path = DEFAULT_PATH;
    String ldLibraryPath = null;
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = kv.substring(0, eq);
      String value = kv.substring(eq + 1);
      if (key.equals("PATH")) {
        path = value;
      } else if (key.equals("LD_LIBRARY_PATH")) {
        ldLibraryPath = value;
      }
    }
    return new LinkerEnv(
        List.of(path.split(":", -1)),
        ldLibraryPath == null || ldLibraryPath.isEmpty()
            ? List.of()
            : List.of(ldLibraryPath.split("[:;]", -1)));
  }

  /** No LD_LIBRARY_PATH and the default PATH. */
  public static LinkerEnv defaults() {
    return fromImageEnv(new ArrayList<>());
  }
}
