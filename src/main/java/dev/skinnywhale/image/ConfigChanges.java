package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code --change} instructions to an image config as {@code docker commit --change} does:
 * each instruction in order on the config's {@code config} object (variables expanded from its Env
 * as it stands then; ENTRYPOINT clears the command unless a CMD came before it; WORKDIR is relative
 * to the one before), then merged with the config as it was (an emptied command comes back when
 * there is no entrypoint either, an empty user or working directory stays what it was, labels,
 * ports and volumes are added to, a new healthcheck takes what it leaves unset from the old one).
 *
 * <p>Lossless as the rest of {@link ImageConfigs}: the result is a deep copy in which only the
 * fields an instruction sets are replaced (in place) or added (at the end); the input is never
 * modified.
 */
public final class ConfigChanges {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConfigChanges() {}

  /**
   * The image config with the changes applied.
   *
   * @param imageConfig the image-config JSON ({@code architecture}, {@code config}, ...)
   * @throws ConfigChangeException when an argument is bad once its variables are expanded (a port,
   *     a signal, {@code ${X:?message}} of an unset X)
   */
  public static ObjectNode apply(ObjectNode imageConfig, List<ConfigChange> changes) {
    ObjectNode out = imageConfig.deepCopy();
    if (changes.isEmpty()) {
      return out;
    }
    JsonNode before = imageConfig.path("config");
    ObjectNode config = before.isObject() ? (ObjectNode) before.deepCopy() : NODES.objectNode();
    boolean cmdSet = false;
    for (ConfigChange change : changes) {
      List<String> env = strings(config.get("Env"));
      try {
        cmdSet |= dispatch(config, change, env, cmdSet);
      } catch (ConfigChangeException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ConfigChangeException(change.text(), e.getMessage());
      }
    }
    merge(config, before.isObject() ? (ObjectNode) before : NODES.objectNode());
    out.set("config", config);
    return out;
  }

  /** Applies one instruction; true when it set the command. */
  private static boolean dispatch(
      ObjectNode config, ConfigChange change, List<String> env, boolean cmdSet) {
    if (change instanceof ConfigChange.Cmd c) {
      config.set("Cmd", array(c.argv()));
      return true;
    }
    if (change instanceof ConfigChange.Entrypoint e) {
      config.set("Entrypoint", array(e.argv()));
      if (!cmdSet) {
        config.set("Cmd", NullNode.getInstance());
      }
    } else if (change instanceof ConfigChange.Env e) {
      List<String> entries = new ArrayList<>(strings(config.get("Env")));
      for (ConfigChange.Pair p : e.pairs()) {
        setEnv(entries, ChangeWords.process(p.key(), env), ChangeWords.process(p.value(), env));
      }
      config.set("Env", array(entries));
    } else if (change instanceof ConfigChange.Label l) {
      ObjectNode labels = object(config, "Labels");
      for (ConfigChange.Pair p : l.pairs()) {
        labels.put(ChangeWords.process(p.key(), env), ChangeWords.process(p.value(), env));
      }
    } else if (change instanceof ConfigChange.Expose x) {
      List<String> keys = new ArrayList<>();
      for (String p : x.ports()) {
        keys.addAll(Ports.expand(ChangeWords.process(p, env)));
      }
      ObjectNode ports = object(config, "ExposedPorts");
      keys.forEach(k -> ports.set(k, NODES.objectNode()));
    } else if (change instanceof ConfigChange.User u) {
      config.put("User", ChangeWords.process(u.user(), env));
    } else if (change instanceof ConfigChange.Volume v) {
      List<String> paths = new ArrayList<>();
      for (String p : v.paths()) {
        String path = ChangeWords.process(p, env);
        if (path.strip().isEmpty()) {
          throw new IllegalArgumentException("VOLUME specified can not be an empty string");
        }
        paths.add(path);
      }
      ObjectNode volumes = object(config, "Volumes");
      paths.forEach(p -> volumes.set(p, NODES.objectNode()));
    } else if (change instanceof ConfigChange.Workdir w) {
      String path = ChangeWords.process(w.path(), env);
      config.put("WorkingDir", workdir(config.path("WorkingDir").asText(""), path));
    } else if (change instanceof ConfigChange.StopSignal s) {
      String signal = ChangeWords.process(s.signal(), env);
      Signals.check(signal);
      config.put("StopSignal", signal);
    } else if (change instanceof ConfigChange.OnBuild o) {
      ArrayNode triggers = NODES.arrayNode();
      strings(config.get("OnBuild")).forEach(triggers::add);
      triggers.add(o.trigger());
      config.set("OnBuild", triggers);
    } else if (change instanceof ConfigChange.Healthcheck h) {
      config.set("Healthcheck", healthcheck(h));
    }
    return false;
  }

  /** Docker's merge of the changed config with the one it started from. */
  private static void merge(ObjectNode config, ObjectNode original) {
    if (config.path("User").asText("").isEmpty() && original.has("User")) {
      config.set("User", original.get("User").deepCopy());
    }
    if (config.path("WorkingDir").asText("").isEmpty() && original.has("WorkingDir")) {
      config.set("WorkingDir", original.get("WorkingDir").deepCopy());
    }
    if (config.path("StopSignal").asText("").isEmpty() && original.has("StopSignal")) {
      config.set("StopSignal", original.get("StopSignal").deepCopy());
    }
    if (isEmpty(config.get("Entrypoint")) && isEmpty(config.get("Cmd"))) {
      JsonNode cmd = original.get("Cmd");
      if (cmd != null) {
        config.set("Cmd", cmd.deepCopy());
      }
    }
    JsonNode oldHealth = original.get("Healthcheck");
    JsonNode newHealth = config.get("Healthcheck");
    if (oldHealth != null && oldHealth.isObject() && newHealth instanceof ObjectNode health) {
      for (String field : List.of("Test", "Interval", "Timeout", "StartPeriod", "Retries")) {
        JsonNode value = health.get(field);
        boolean unset =
            value == null
                || value.isNull()
                || (value.isNumber() && value.asLong() == 0)
                || (value.isArray() && value.isEmpty());
        if (unset && oldHealth.hasNonNull(field)) {
          health.set(field, oldHealth.get(field).deepCopy());
        }
      }
    }
  }

  private static ObjectNode healthcheck(ConfigChange.Healthcheck h) {
    ObjectNode node = NODES.objectNode();
    node.set("Test", array(h.test()));
    if (h.interval() > 0) {
      node.put("Interval", h.interval());
    }
    if (h.timeout() > 0) {
      node.put("Timeout", h.timeout());
    }
    if (h.startPeriod() > 0) {
      node.put("StartPeriod", h.startPeriod());
    }
    if (h.startInterval() > 0) {
      node.put("StartInterval", h.startInterval());
    }
    if (h.retries() > 0) {
      node.put("Retries", h.retries());
    }
    return node;
  }

  /** WORKDIR: a relative path is joined to the current one (default "/"), then cleaned. */
  static String workdir(String current, String path) {
    String joined = path.startsWith("/") ? path : (current.isEmpty() ? "/" : current) + "/" + path;
    List<String> parts = new ArrayList<>();
    for (String part : joined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return "/" + String.join("/", parts);
  }

  private static void setEnv(List<String> entries, String key, String value) {
    String entry = key + "=" + value;
    for (int i = 0; i < entries.size(); i++) {
      String e = entries.get(i);
      int eq = e.indexOf('=');
      if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
        entries.set(i, entry);
        return;
      }
    }
    entries.add(entry);
  }

  /** The object field {@code name}, made (or replacing a null) when it is not one. */
  private static ObjectNode object(ObjectNode config, String name) {
    JsonNode node = config.get(name);
    if (node instanceof ObjectNode o) {
      return o;
    }
    ObjectNode made = NODES.objectNode();
    config.set(name, made);
    return made;
  }

  private static boolean isEmpty(JsonNode node) {
    return node == null || node.isNull() || (node.isArray() && node.isEmpty());
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
