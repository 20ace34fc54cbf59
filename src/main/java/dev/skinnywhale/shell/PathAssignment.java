package dev.skinnywhale.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A script's own {@code PATH=} (or {@code PATH+=}) assignment, evaluated as far as it can be
 * without running anything: literal directories stay, {@code $PATH} and {@code ${PATH}} become the
 * PATH before the assignment ({@link ScriptAnalysis#INHERITED_PATH} when the script had set none),
 * and elements with any other expansion ({@code $HOME/bin}) or relative ones are dropped.
 */
final class PathAssignment {
  private PathAssignment() {}

  /** The new PATH when {@code w} assigns PATH; {@code before} is empty when none was set. */
  static Optional<List<String>> of(Word w, List<String> before) {
    if (!w.assignedName().orElse("").equals("PATH")) {
      return Optional.empty();
    }
    StringBuilder value = new StringBuilder();
    boolean first = true;
    boolean append = false;
    for (Word.Part p : w.parts()) {
      if (p instanceof Word.Literal l) {
        String t = l.text();
        if (first) {
          int eq = t.indexOf('=');
          append = eq > 0 && t.charAt(eq - 1) == '+';
          t = t.substring(eq + 1);
        }
        value.append(t);
      } else if (p instanceof Word.Parameter v && v.name().equals("PATH")) {
        value.append('\0').append('P');
      } else {
        value.append('\0').append('X');
      }
      first = false;
    }
    List<String> old = before.isEmpty() ? List.of(ScriptAnalysis.INHERITED_PATH) : before;
    List<String> out = new ArrayList<>(append ? old : List.of());
    for (String element : value.toString().split(":", -1)) {
      if (element.equals("\0P")) {
        out.addAll(old);
      } else if (element.startsWith("/") && element.indexOf('\0') < 0) {
        out.add(element);
      }
    }
    return Optional.of(List.copyOf(new LinkedHashSet<>(out)));
  }
}
