package dev.skinnywhale.workflow.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker diff's text names (U+FFFD for bad bytes) matched to the export's byte names. */
class ChangePathsTest {
  /** A byte path (one char per byte) from text with \xNN escapes. */
  static String bytes(String escaped) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < escaped.length(); i++) {
      if (escaped.startsWith("\\x", i)) {
        b.append((char) Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        b.append(escaped.charAt(i));
      }
    }
    return b.toString();
  }

  static FsNode file(String path) {
    return new FsNode.RegularFile(path, NodeMeta.of(0644), new BytesBlob(new byte[] {1}));
  }

  final RootFs fs =
      RootFs.of(
          List.of(
              file(bytes("/data/bad\\xffname")),
              file(bytes("/data/lat\\xe9\\xe9x")),
              file(bytes("/data/cut\\xe2\\x82x")),
              file("/data/nl\nname"),
              file(bytes("/data/caf\\xc3\\xa9")),
              file(bytes("/d\\xffir/f\\x01g")),
              file(bytes("/data/twin\\xfe")),
              file(bytes("/data/twin\\xfd"))));

  @Test
  void match_replacementCharacters_foundByTheirBytes() {
    assertEquals(
        new TreeSet<>(
            Set.of(
                bytes("/data/bad\\xffname"),
                bytes("/data/lat\\xe9\\xe9x"),
                bytes("/data/cut\\xe2\\x82x"),
                bytes("/d\\xffir"),
                bytes("/d\\xffir/f\\x01g"))),
        new ChangePaths(fs)
            .match(
                List.of(
                    "/data/bad\uFFFDname",
                    "/data/lat\uFFFD\uFFFDx",
                    "/data/cut\uFFFD\uFFFDx",
                    "/d\uFFFDir",
                    "/d\uFFFDir/f\u0001g")));
  }

  @Test
  void match_utf8AndNewlineNames_takenAsTheirBytes_lookAlikesBothKept() {
    assertEquals(
        new TreeSet<>(
            Set.of(
                "/data/nl\nname",
                bytes("/data/caf\\xc3\\xa9"),
                bytes("/data/twin\\xfe"),
                bytes("/data/twin\\xfd"),
                "/data/gone")),
        new ChangePaths(fs)
            .match(List.of("/data/nl\nname", "/data/café", "/data/twin\uFFFD", "/data/gone")));
  }
}
