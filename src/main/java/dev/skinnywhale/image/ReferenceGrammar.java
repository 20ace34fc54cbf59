package dev.skinnywhale.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar of image references (distribution/reference, as the Docker engine and registries take
 * them) and of what names a container, checked before anything asks the engine:
 *
 * <pre>
 *   reference       := name [ ":" tag ] [ "@" digest ]
 *   name            := [ domain "/" ] path-component ( "/" path-component )*   (255 at most)
 *   domain          := host [ ":" port ]    host := domain-name | "[" IPv6 "]"
 *   domain-name     := component ( "." component )*   component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   path-component  := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag             := [\w][\w.-]{0,127}
 *   digest          := algorithm ":" hex    algorithm := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
 *                                           hex := [0-9a-fA-F]{32,}
 *   container       := [ "/" ] [a-zA-Z0-9] [a-zA-Z0-9_.-]*   (a name, an id or an id prefix)
 * </pre>
 */
public final class ReferenceGrammar {
  static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:.%]+\\])";
  static final String DOMAIN = HOST + "(?::[0-9]+)?";

  /** Group 1: the domain, group 2: the path. */
  static final String NAME =
      "(?:(" + DOMAIN + ")/)?(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)";

  static final String TAG = "[\\w][\\w.-]{0,127}";
  static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

  /** The longest name (domain and path) a reference may have. */
  static final int NAME_MAX = 255;

  private static final Pattern REFERENCE =
      Pattern.compile(NAME + "(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
  private static final Pattern CONTAINER = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private ReferenceGrammar() {}

  /**
   * Why {@code ref} is not an image reference (tag or digest optional), or empty when it is one.
   */
  public static Optional<String> referenceProblem(String ref) {
    var m = REFERENCE.matcher(ref);
    if (!m.matches()) {
      return Optional.of(
          "not a valid image reference: \""
              + ref
              + "\" ([HOST[:PORT]/]NAME[:TAG][@ALGORITHM:HEX], NAME in lower-case components of"
              + " letters, digits and . _ -)");
    }
    String name = (m.group(1) == null ? "" : m.group(1) + "/") + m.group(2);
    if (name.length() > NAME_MAX) {
      return Optional.of("the name of " + ref + " is longer than " + NAME_MAX + " characters");
    }
    return Optional.empty();
  }

  /**
   * Why {@code text} names neither a container (its name, id or id prefix) nor an image of the
   * engine, or empty when it may name one.
   */
  public static Optional<String> engineInputProblem(String text) {
    if (CONTAINER.matcher(text).matches() && text.length() <= NAME_MAX) {
      return Optional.empty();
    }
    if (referenceProblem(text).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "not a container or image reference: \""
            + text
            + "\" (a container is its name or id, [a-zA-Z0-9][a-zA-Z0-9_.-]*; an image is"
            + " [HOST[:PORT]/]NAME[:TAG][@ALGORITHM:HEX], NAME in lower-case components of"
            + " letters, digits and . _ -)");
  }
}
