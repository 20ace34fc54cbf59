package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.image.ConfigChange;
import dev.skinnywhale.image.ConfigChanges;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --change}: the slim image's config is the source's with the instructions applied as {@code
 * docker commit --change} applies them, before anything is planned — so the keep-plan keeps the new
 * entrypoint's program, user and working directory, the config probe runs the new command, and the
 * probes run with the new Env, user and working directory. Nothing is exported before a bad
 * instruction is found.
 */
public record ApplyChanges(Run run) {

  /** The source with its config changed; the source itself when there are no changes. */
  public Source apply(Source source, List<ConfigChange> changes) {
    if (changes.isEmpty()) {
      return source;
    }
    changes.forEach(c -> c.warning().ifPresent(run.reporter()::warn));
    ObjectNode changed = ConfigChanges.apply(source.imageConfig(), changes);
    for (ConfigChange c : changes) {
      run.reporter().debug("--change " + c.text());
    }
    return source.withImageConfig(changed);
  }

  /**
   * How the probes run under the changed config: the probe containers are made from the source (a
   * commit of the container, or the image), whose config lacks the changes, so what the changes set
   * is given to each container: the Env entries they set (before the --env ones, which win), and
   * the user and working directory when the options do not name their own.
   */
  public static ProbeOptions forProbes(ProbeOptions options, Source before, Source after) {
    JsonNode was = before.imageConfig().path("config");
    JsonNode now = after.imageConfig().path("config");
    Set<String> oldEnv = new HashSet<>(before.env());
    List<String> env = new ArrayList<>();
    for (String e : after.env()) {
      if (!oldEnv.contains(e)) {
        env.add(e);
      }
    }
    env.addAll(options.env());
    Optional<String> user = options.user().or(() -> changed(was, now, "User"));
    Optional<String> workdir = options.workingDir().or(() -> changed(was, now, "WorkingDir"));
    return options.with(env, user, workdir);
  }

  private static Optional<String> changed(JsonNode was, JsonNode now, String field) {
    String before = was.path(field).asText("");
    String after = now.path(field).asText("");
    return after.equals(before) || after.isEmpty() ? Optional.empty() : Optional.of(after);
  }
}
