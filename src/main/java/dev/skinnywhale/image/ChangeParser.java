package dev.skinnywhale.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code --change} values with {@code docker commit}'s syntax (the Dockerfile's, for CMD,
 * ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, HEALTHCHECK, STOPSIGNAL and ONBUILD) and
 * its error messages. What can be checked without the config's Env (ports, signals and paths
 * without a {@code $}) is checked here, so that a bad instruction is a usage error before the
 * engine is asked anything.
 *
 * <p>One deviation: text after a JSON array ({@code CMD ["a"] b}) is an error here; Docker drops it
 * silently.
 */
public final class ChangeParser {
  /** The longest {@code --change} value read. */
  public static final int MAX_CHARS = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** HEALTHCHECK's options (--start-interval is Docker 25's; older engines ignore it). */
  static final List<String> HEALTH_FLAGS =
      List.of("interval", "timeout", "start-period", "start-interval", "retries");

  private ChangeParser() {}

  /**
   * The instructions of one {@code --change} value (usually one; a value may hold several lines, as
   * the Dockerfile it is parsed as).
   *
   * @throws ConfigChangeException naming the instruction and the reason
   */
  public static List<ConfigChange> parse(String change) {
    if (change.length() > MAX_CHARS) {
      throw new ConfigChangeException(change, "longer than " + MAX_CHARS + " characters");
    }
    List<String> lines = ChangeWords.instructions(change);
    if (lines.isEmpty()) {
      throw new ConfigChangeException(change, "an empty instruction");
    }
    List<ConfigChange> out = new ArrayList<>();
    for (String line : lines) {
      out.add(instruction(line));
    }
    return out;
  }

  /** Every value, in order. */
  public static List<ConfigChange> parseAll(List<String> changes) {
    List<ConfigChange> out = new ArrayList<>();
    changes.forEach(c -> out.addAll(parse(c)));
    return out;
  }

  private static ConfigChange instruction(String line) {
    String text = line.strip();
    int space = firstSpace(text);
    String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
    String rest = text.substring(space).strip();
    Flags flags;
    try {
      flags = Flags.extract(rest);
    } catch (IllegalArgumentException e) {
      throw new ConfigChangeException(text, e.getMessage());
    }
    rest = flags.rest();
    if (!keyword.equals("HEALTHCHECK") && !flags.values().isEmpty()) {
      throw new ConfigChangeException(
          text, "Unknown flag: " + flags.values().keySet().iterator().next());
    }
    flags
        .values()
        .forEach(
            (name, value) -> {
              if (!HEALTH_FLAGS.contains(name)) {
                throw new ConfigChangeException(text, "Unknown flag: " + name);
              }
              if (value.isEmpty()) {
                throw new ConfigChangeException(text, "Missing a value on flag: " + name);
              }
            });
    try {
      return switch (keyword) {
        case "CMD" -> {
          Command c = command(text, rest, "CMD");
          yield new ConfigChange.Cmd(text, c.argv(), c.notJson());
        }
        case "ENTRYPOINT" -> {
          Command c = command(text, rest, "ENTRYPOINT");
          yield new ConfigChange.Entrypoint(text, c.argv(), c.notJson());
        }
        case "ENV" -> new ConfigChange.Env(text, pairs(text, rest, "ENV"));
        case "LABEL" -> new ConfigChange.Label(text, pairs(text, rest, "LABEL"));
        case "EXPOSE" -> expose(text, rest);
        case "USER" -> new ConfigChange.User(text, exactlyOne(text, rest, "USER"));
        case "WORKDIR" -> new ConfigChange.Workdir(text, exactlyOne(text, rest, "WORKDIR"));
        case "VOLUME" -> volume(text, rest);
        case "STOPSIGNAL" -> stopSignal(text, rest);
        case "HEALTHCHECK" -> HealthcheckParser.parse(text, rest, flags.given());
        case "ONBUILD" -> onBuild(text, rest);
        default ->
            throw new ConfigChangeException(
                text,
                keyword.toLowerCase(Locale.ROOT)
                    + " is not a valid change command (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK,"
                    + " LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)");
      };
    } catch (ConfigChangeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigChangeException(text, e.getMessage());
    }
  }

  record Command(List<String> argv, boolean notJson) {}

  /** CMD and ENTRYPOINT: a JSON array of strings, else the text as a shell command. */
  static Command command(String text, String rest, String keyword) {
    Optional<List<String>> json = jsonArray(text, rest);
    if (json.isPresent()) {
      return new Command(json.get(), false);
    }
    if (rest.isEmpty()) {
      throw new ConfigChangeException(
          text, keyword + " needs a command (a JSON array, or a shell command)");
    }
    return new Command(List.of("/bin/sh", "-c", rest), rest.startsWith("["));
  }

  /**
   * A JSON array of strings; empty when {@code rest} is not JSON (then it is a shell command).
   *
   * @throws ConfigChangeException when it is a JSON array with something else than strings, or text
   *     follows the array
   */
  static Optional<List<String>> jsonArray(String text, String rest) {
    if (!rest.startsWith("[")) {
      return Optional.empty();
    }
    JsonNode node;
    try (JsonParser parser = JSON.createParser(rest)) {
      node = parser.readValueAsTree();
      JsonToken after;
      try {
        after = parser.nextToken();
      } catch (IOException e) {
        after = JsonToken.NOT_AVAILABLE;
      }
      if (node != null && node.isArray() && after != null) {
        throw new ConfigChangeException(
            text, "unexpected text after the JSON array (docker would ignore it)");
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isArray()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw new ConfigChangeException(
            text, "when using JSON array syntax, arrays must be comprised of strings only");
      }
      out.add(n.asText());
    }
    return Optional.of(out);
  }

  /** ENV and LABEL: {@code k=v ...} (quotes allowed), or the old {@code k value...} form. */
  private static List<ConfigChange.Pair> pairs(String text, String rest, String keyword) {
    List<String> words = ChangeWords.words(rest);
    if (words.isEmpty()) {
      throw new ConfigChangeException(text, keyword + " requires at least one argument");
    }
    List<ConfigChange.Pair> out = new ArrayList<>();
    if (!words.get(0).contains("=")) {
      String[] parts = rest.split("\\s+", 2);
      if (parts.length < 2) {
        throw new ConfigChangeException(text, keyword + " must have two arguments");
      }
      out.add(new ConfigChange.Pair(parts[0], parts[1]));
    } else {
      for (String word : words) {
        int eq = word.indexOf('=');
        if (eq < 0) {
          throw new ConfigChangeException(
              text,
              "Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
        }
        out.add(new ConfigChange.Pair(word.substring(0, eq), word.substring(eq + 1)));
      }
    }
    for (ConfigChange.Pair p : out) {
      if (p.key().isEmpty()) {
        throw new ConfigChangeException(text, keyword + " names can not be blank");
      }
      checkWord(text, p.key());
      checkWord(text, p.value());
    }
    return out;
  }

  private static ConfigChange expose(String text, String rest) {
    List<String> ports = ChangeWords.plainWords(rest);
    if (ports.isEmpty()) {
      throw new ConfigChangeException(text, "EXPOSE requires at least one argument");
    }
    for (String p : ports) {
      checkWord(text, p);
      if (p.indexOf('$') < 0) {
        Ports.expand(ChangeWords.process(p, List.of()));
      }
    }
    return new ConfigChange.Expose(text, ports);
  }

  private static String exactlyOne(String text, String rest, String keyword) {
    if (rest.isEmpty()) {
      throw new ConfigChangeException(text, keyword + " requires exactly one argument");
    }
    checkWord(text, rest);
    return rest;
  }

  private static ConfigChange volume(String text, String rest) {
    List<String> paths = jsonArray(text, rest).orElseGet(() -> ChangeWords.plainWords(rest));
    if (paths.isEmpty()) {
      throw new ConfigChangeException(text, "VOLUME requires at least one argument");
    }
    for (String p : paths) {
      checkWord(text, p);
      if (p.strip().isEmpty()) {
        throw new ConfigChangeException(text, "VOLUME specified can not be an empty string");
      }
    }
    return new ConfigChange.Volume(text, paths);
  }

  private static ConfigChange stopSignal(String text, String rest) {
    String signal = exactlyOne(text, rest, "STOPSIGNAL");
    if (signal.indexOf('$') < 0) {
      Signals.check(ChangeWords.process(signal, List.of()));
    }
    return new ConfigChange.StopSignal(text, signal);
  }

  private static ConfigChange onBuild(String text, String rest) {
    if (rest.isEmpty()) {
      throw new ConfigChangeException(text, "ONBUILD requires at least one argument");
    }
    String trigger = rest.substring(0, firstSpace(rest)).toUpperCase(Locale.ROOT);
    if (trigger.equals("ONBUILD")) {
      throw new ConfigChangeException(text, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }
    if (trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
      throw new ConfigChangeException(text, trigger + " isn't allowed as an ONBUILD trigger");
    }
    return new ConfigChange.OnBuild(text, rest);
  }

  /** A word's quotes and substitutions are well formed (checked against an empty Env). */
  private static void checkWord(String text, String word) {
    try {
      ChangeWords.process(word, List.of());
    } catch (ChangeWords.UnsetVariable e) {
      // ${X:?msg} depends on the Env at apply time
    } catch (IllegalArgumentException e) {
      throw new ConfigChangeException(
          text, "failed to process \"" + word + "\": " + e.getMessage());
    }
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return s.length();
  }

  /**
   * The leading {@code --name=value} words of an instruction, quotes removed; a flag without "="
   * has no value.
   */
  record Flags(Map<String, Optional<String>> values, String rest) {
    static Flags extract(String line) {
      Map<String, Optional<String>> values = new LinkedHashMap<>();
      int pos = 0;
      int n = line.length();
      while (true) {
        while (pos < n && Character.isWhitespace(line.charAt(pos))) {
          pos++;
        }
        if (pos + 1 >= n || line.charAt(pos) != '-' || line.charAt(pos + 1) != '-') {
          return new Flags(values, line.substring(Math.min(pos, n)));
        }
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (; pos < n; pos++) {
          char c = line.charAt(pos);
          if (quote == 0 && Character.isWhitespace(c)) {
            break;
          }
          if (quote == 0 && (c == '\'' || c == '"')) {
            quote = c;
          } else if (quote != 0 && c == quote) {
            quote = 0;
          } else if (c == '\\' && pos + 1 < n) {
            word.append(line.charAt(++pos));
          } else if (c != '\\') {
            word.append(c);
          }
        }
        String w = word.toString();
        if (w.equals("--")) {
          return new Flags(values, line.substring(pos).strip());
        }
        int eq = w.indexOf('=');
        String name = eq < 0 ? w.substring(2) : w.substring(2, eq);
        if (values.put(name, eq < 0 ? Optional.empty() : Optional.of(w.substring(eq + 1)))
            != null) {
          throw new IllegalArgumentException("Duplicate flag specified: " + name);
        }
      }
    }

    /** The flags that have values (the others were refused). */
    Map<String, String> given() {
      Map<String, String> out = new LinkedHashMap<>();
      values.forEach((k, v) -> v.ifPresent(value -> out.put(k, value)));
      return out;
    }
  }
}
