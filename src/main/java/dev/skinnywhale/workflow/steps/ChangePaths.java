package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A container's change set ({@code docker diff}: text, each byte of a name that is not UTF-8
 * replaced by U+FFFD) matched to the export's names (bytes, one char per byte in a RootFs). A path
 * the export has as its UTF-8 bytes is taken as is; any other is looked up among the export's names
 * that are not plain UTF-8 text by what the engine would have reported for them (U+FFFD for each
 * bad byte; a run of them compared as one, as decoders differ on how many a bad sequence gives):
 * every name that matches is taken, so no file is dropped for its name — a look-alike in the same
 * directory is kept too, never a file lost.
 */
final class ChangePaths {
  private static final char REPLACEMENT = '\uFFFD';

  private final RootFs fs;
  private Map<String, List<String>> byView;

  ChangePaths(RootFs fs) {
    this.fs = fs;
  }

  /** The export's paths of these change-set paths (text, absolute). */
  SortedSet<String> match(List<String> changed) {
    SortedSet<String> out = new TreeSet<>();
    for (String text : changed) {
      String bytes = FsPath.normalize(FsPath.fromText(text));
      if (fs.get(bytes).isPresent()) {
        out.add(bytes);
        continue;
      }
      List<String> found = index().getOrDefault(collapse(FsPath.normalize(text)), List.of());
      if (found.isEmpty()) {
        out.add(bytes); // not in the export: the plan reports it
      } else {
        out.addAll(found);
      }
    }
    return out;
  }

  /** The export's names that are not plain UTF-8, by their collapsed view (built on first use). */
  private Map<String, List<String>> index() {
    if (byView == null) {
      byView = new HashMap<>();
      fs.nodes()
          .map(FsNode::path)
          .filter(p -> !FsPath.fromText(FsPath.toText(p)).equals(p))
          .forEach(p -> byView.computeIfAbsent(collapse(view(p)), k -> new ArrayList<>()).add(p));
    }
    return byView;
  }

  /** A byte path as the engine reports it: UTF-8 decoded, each bad sequence a U+FFFD. */
  static String view(String bytePath) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(String.valueOf(REPLACEMENT));
    try {
      return utf8.decode(ByteBuffer.wrap(bytePath.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder threw", e);
    }
  }

  /** Runs of U+FFFD as one. */
  static String collapse(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != REPLACEMENT || b.length() == 0 || b.charAt(b.length() - 1) != REPLACEMENT) {
        b.append(c);
      }
    }
    return b.toString();
  }
}
