package dev.skinnywhale.shell;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One shell word as the lexer read it, its quoting kept apart from its text: {@code "s"ed} is the
 * literal {@code sed}, quoted; {@code $PATH:/x} a parameter and a literal.
 *
 * @param parts in order; adjacent literals of the same quoting are merged
 * @param line the line the word starts on (1-based)
 */
record Word(List<Part> parts, int line) {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[^]]*])?\\+?=.*", Pattern.DOTALL);

  /** A piece of a word. */
  sealed interface Part {}

  /** Text that stands for itself; {@code quoted} when it came from quotes or a backslash. */
  record Literal(String text, boolean quoted) implements Part {}

  /** {@code $NAME} or {@code ${NAME}}. */
  record Parameter(String name) implements Part {}

  /**
   * Any other expansion: {@code $(...)}, backquotes, {@code ${x:-y}}, {@code $((...))}, {@code $1}.
   */
  record Expansion(String what) implements Part {}

  Word {
    parts = List.copyOf(parts);
  }

  /** The word's value when it has no expansion. */
  Optional<String> literal() {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (!(p instanceof Literal l)) {
        return Optional.empty();
      }
      out.append(l.text());
    }
    return Optional.of(out.toString());
  }

  /** Whether any of it was quoted or escaped (a quoted word is never a reserved word). */
  boolean quoted() {
    return parts.stream().anyMatch(p -> p instanceof Literal l && l.quoted());
  }

  /** The literal value of an unquoted word without expansions: what can be a reserved word. */
  Optional<String> plain() {
    return quoted() ? Optional.empty() : literal();
  }

  /**
   * The variable of an assignment word ({@code NAME=...}, {@code NAME+=...}, {@code NAME[i]=...}),
   * whose name and {@code =} are unquoted.
   */
  Optional<String> assignedName() {
    if (parts.isEmpty() || !(parts.get(0) instanceof Literal first) || first.quoted()) {
      return Optional.empty();
    }
    String t = first.text();
    if (!ASSIGNMENT.matcher(t).matches()) {
      return Optional.empty();
    }
    int end = 0;
    while (end < t.length() && (Character.isLetterOrDigit(t.charAt(end)) || t.charAt(end) == '_')) {
      end++;
    }
    return Optional.of(t.substring(0, end));
  }

  /** The word for a person: literals as written, expansions as {@code $NAME} or their text. */
  String describe() {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Literal l) {
        out.append(l.text());
      } else if (p instanceof Parameter v) {
        out.append('$').append(v.name());
      } else if (p instanceof Expansion e) {
        out.append(e.what());
      }
    }
    return out.toString();
  }
}
