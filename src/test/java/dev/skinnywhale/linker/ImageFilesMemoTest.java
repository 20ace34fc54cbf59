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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every resolver of a run (one per closure, one per round of the keep plan) shares what each file
 * is: an ELF file's whole content is read and parsed once, however many resolvers ask.
 */
class ImageFilesMemoTest {
  @Test
  void twoResolversOverOneFilesystem_eachElfReadWholeOnce_sameClosure() {
    RootFs eager =
        new TestFs()
            .debianBase()
            .elf("/usr/lib/x86_64-linux-gnu/libb.so", lib("libc.so.6"))
            .elf("/usr/lib/x86_64-linux-gnu/liba.so", lib("libb.so"))
            .elf("/usr/bin/app", program("liba.so", "libc.so.6"))
            .build();
    Map<String, Integer> wholeReads = new TreeMap<>();
    List<FsNode> nodes = new ArrayList<>();
    eager
        .nodes()
        .forEach(
            n ->
                nodes.add(
                    n instanceof FsNode.RegularFile f
                        ? new FsNode.RegularFile(f.path(), f.meta(), counting(f, wholeReads))
                        : n));
    RootFs fs = RootFs.of(nodes);

    Closure first =
        new ClosureResolver(fs, LinkerEnv.defaults()).closureOf(List.of("/usr/bin/app"));
    Map<String, Integer> afterFirst = new TreeMap<>(wholeReads);
    Closure second =
        new ClosureResolver(fs, LinkerEnv.defaults(), true).closureOf(List.of("/usr/bin/app"));

    assertEquals(first.dependencies(), second.dependencies());
    assertTrue(afterFirst.containsKey("/usr/lib/x86_64-linux-gnu/liba.so"), afterFirst.toString());
    assertTrue(afterFirst.values().stream().allMatch(c -> c == 1), afterFirst.toString());
    assertEquals(afterFirst, wholeReads, "the second resolver read no file again");
  }

  private static Blob counting(FsNode.RegularFile f, Map<String, Integer> wholeReads) {
    return new Blob() {
      @Override
      public long size() {
        return f.size();
      }

      @Override
      public InputStream open() throws IOException {
        wholeReads.merge(f.path(), 1, Integer::sum);
        return f.content().open();
      }

      @Override
      public ByteBuffer read(long maxBytes) throws IOException {
        if (maxBytes == f.size()) { // the whole file (a head read asks for 257 bytes)
          wholeReads.merge(f.path(), 1, Integer::sum);
        }
        return f.content().read(maxBytes);
      }
    };
  }
}
