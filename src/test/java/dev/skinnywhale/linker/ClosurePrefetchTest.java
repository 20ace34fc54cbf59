package dev.skinnywhale.linker;

import static dev.skinnywhale.linker.TestFs.lib;
import static dev.skinnywhale.linker.TestFs.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.rootfs.Blob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where content is read lazily, the resolver asks for the files of each level of its walk in one
 * batch (the roots, then what the queued objects name), and finds the same closure as without.
 */
class ClosurePrefetchTest {
  /** {@code fs} read lazily: batches recorded, a read of a file no batch had counted alone. */
  static final class Lazy {
    final List<List<String>> batches = new ArrayList<>();
    final Set<String> fetched = new HashSet<>();
    final List<String> alone = new ArrayList<>();
    final RootFs fs;

    Lazy(RootFs eager) {
      List<FsNode> nodes = new ArrayList<>();
      eager
          .nodes()
          .forEach(
              n ->
                  nodes.add(
                      n instanceof FsNode.RegularFile f
                          ? new FsNode.RegularFile(f.path(), f.meta(), counting(f))
                          : n));
      fs =
          RootFs.of(
              nodes,
              () -> {},
              paths -> {
                batches.add(List.copyOf(paths));
                fetched.addAll(paths);
              });
    }

    private Blob counting(FsNode.RegularFile f) {
      return new Blob() {
        @Override
        public long size() {
          return f.size();
        }

        @Override
        public InputStream open() throws IOException {
          note(f.path(), f.size());
          return f.content().open();
        }

        @Override
        public ByteBuffer read(long maxBytes) throws IOException {
          note(f.path(), maxBytes);
          return f.content().read(maxBytes);
        }
      };
    }

    private void note(String path, long bytes) {
      // a head (ELF magic, #! line) comes with the index; the whole file needs a fetch
      if (bytes > 257 && !fetched.contains(path)) {
        alone.add(path);
        fetched.add(path);
      }
    }
  }

  @Test
  void closureOf_lazy_oneBatchPerLevel_noFileFetchedAlone_sameClosure() {
    RootFs eager =
        new TestFs()
            .debianBase()
            .elf("/usr/lib/x86_64-linux-gnu/libc3.so", lib("libc.so.6"))
            .elf("/usr/lib/x86_64-linux-gnu/libb2.so", lib("libc3.so", "libc.so.6"))
            .elf("/usr/lib/x86_64-linux-gnu/liba1.so", lib("libb2.so"))
            .elf("/usr/lib/x86_64-linux-gnu/libz.so.1", lib())
            .elf("/usr/bin/app", program("liba1.so", "libz.so.1", "libc.so.6"))
            .build();
    Closure want =
        new ClosureResolver(eager, LinkerEnv.defaults()).closureOf(List.of("/usr/bin/app"));
    Lazy lazy = new Lazy(eager);
    assertTrue(lazy.fs.readsLazily());
    assertTrue(!eager.readsLazily());
    Closure got =
        new ClosureResolver(lazy.fs, LinkerEnv.defaults()).closureOf(List.of("/usr/bin/app"));
    assertEquals(want, got);
    assertTrue(
        lazy.batches.stream()
            .anyMatch(
                b ->
                    b.contains("/usr/lib/x86_64-linux-gnu/liba1.so")
                        && b.contains("/usr/lib/x86_64-linux-gnu/libz.so.1")),
        lazy.batches.toString());
    assertTrue(
        lazy.batches.stream().anyMatch(b -> b.contains("/usr/lib/x86_64-linux-gnu/libc3.so")),
        lazy.batches.toString());
    // the interpreter is read before the first level is known: the one file fetched alone
    assertEquals(List.of("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), lazy.alone);
  }
}
