package dev.skinnywhale.workflow.keep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.shell.ScriptClosure;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Reason#SCRIPT}: the commands the kept shell scripts run and the files they source, found
 * on the image's PATH ({@link ScriptClosure}), and those of the {@code sh -c} strings of the image
 * config (Entrypoint + Cmd, unless the caller says it is an install command, and Healthcheck, whose
 * {@code CMD-SHELL} form also needs /bin/sh). It runs after the contributors that decide which
 * scripts are kept and before the static closure, which then brings the commands' libraries and
 * interpreters. Scripts an exclude drops, and dpkg's maintainer scripts (/var/lib/dpkg/info/, run
 * by dpkg only), are not analysed. Names found nowhere, and commands whose name is an expansion,
 * are listed with --debug only.
 */
public final class ScriptClosureContributor implements ExpandingContributor {
  private static final Set<String> SHELLS = Set.of("sh", "dash", "bash", "ash");
  private static final int DEBUG_LINES = 200;
  private static final String DPKG_INFO = "/var/lib/dpkg/info/";
  private static final String HEALTHCHECK = "config Healthcheck";

  private final boolean configCommand;

  /**
   * @param configCommand whether the Entrypoint + Cmd's {@code sh -c} string is read (the caller
   *     says no for a stopped container whose command is most likely the install that made it)
   */
  public ScriptClosureContributor(boolean configCommand) {
    this.configCommand = configCommand;
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    JsonNode config = snapshot.source().imageConfig().path("config");
    List<ScriptClosure.InlineScript> inline = new ArrayList<>();
    for (ScriptClosure.InlineScript s : configScripts(config)) {
      if (configCommand || s.where().equals(HEALTHCHECK)) {
        inline.add(s);
      } else {
        reporter.debug(
            "script: "
                + s.where()
                + " of the stopped container not read (most likely the command that made it; set"
                + " one with --change 'CMD [...]')");
      }
    }
    // dpkg's maintainer scripts are run by dpkg alone, which a slim image does not run.
    List<String> roots =
        KeptFiles.of(fs, plan.build()).stream().filter(p -> !p.startsWith(DPKG_INFO)).toList();
    if (roots.isEmpty() && inline.isEmpty()) {
      return;
    }
    if (isShellHealthcheck(config)) {
      fs.findProgram("/bin/sh", List.of()).ifPresent(r -> plan.addResolved(r, Reason.SCRIPT));
    }
    ScriptClosure.Result r = new ScriptClosure(fs, snapshot.env().path()).of(roots, inline);
    int lines = 0;
    for (ScriptClosure.Found f : r.found()) {
      plan.addResolved(f.resolution(), Reason.SCRIPT);
      if (lines++ < DEBUG_LINES) {
        reporter.debug(
            "script: keeps "
                + f.resolution().finalPath()
                + " ("
                + (f.sourced() ? "sourced as " : "runs ")
                + f.name()
                + ", "
                + f.script()
                + ":"
                + f.line()
                + ")");
      }
    }
    for (ScriptClosure.Missing m : r.missing()) {
      if (lines++ < DEBUG_LINES) {
        reporter.debug(
            "script: "
                + m.name()
                + " ("
                + m.script()
                + ":"
                + m.line()
                + ") is on no PATH directory");
      }
    }
    for (String d : r.dynamic()) {
      if (lines++ < DEBUG_LINES) {
        reporter.debug("script: command not known until run time: " + d);
      }
    }
    for (ScriptClosure.Skipped s : r.skipped()) {
      String what = "script " + s.script() + " not analysed: " + s.reason();
      if (s.warn()) {
        reporter.warn("script not analysed", what);
      } else if (lines++ < DEBUG_LINES) {
        reporter.debug(what);
      }
    }
    reporter.debug(
        "script closure: "
            + r.scripts()
            + " scripts analysed, "
            + r.found().size()
            + " files kept, "
            + r.missing().size()
            + " names not found");
  }

  /** Whether the config's Entrypoint + Cmd is {@code sh -c STRING} (a script this reads). */
  public static boolean hasCommandScript(JsonNode config) {
    return configScripts(config).stream().anyMatch(s -> !s.where().equals(HEALTHCHECK));
  }

  /** The {@code sh -c} strings of Entrypoint + Cmd and of the Healthcheck. */
  static List<ScriptClosure.InlineScript> configScripts(JsonNode config) {
    List<ScriptClosure.InlineScript> out = new ArrayList<>();
    List<String> argv = new ArrayList<>();
    boolean hasEntrypoint =
        config.path("Entrypoint").isArray() && config.path("Entrypoint").size() > 0;
    strings(config.path("Entrypoint")).forEach(argv::add);
    strings(config.path("Cmd")).forEach(argv::add);
    shellString(argv)
        .ifPresent(
            s ->
                out.add(
                    new ScriptClosure.InlineScript(
                        hasEntrypoint ? "config Entrypoint" : "config Cmd", s)));
    List<String> test = strings(config.path("Healthcheck").path("Test"));
    if (!test.isEmpty()) {
      if (test.get(0).equals("CMD-SHELL") && test.size() > 1) {
        out.add(new ScriptClosure.InlineScript(HEALTHCHECK, test.get(1)));
      } else if (test.get(0).equals("CMD")) {
        shellString(test.subList(1, test.size()))
            .ifPresent(s -> out.add(new ScriptClosure.InlineScript(HEALTHCHECK, s)));
      }
    }
    return out;
  }

  private static boolean isShellHealthcheck(JsonNode config) {
    List<String> test = strings(config.path("Healthcheck").path("Test"));
    return !test.isEmpty() && test.get(0).equals("CMD-SHELL");
  }

  /** The STRING of {@code sh [options] -c STRING ...}. */
  private static java.util.Optional<String> shellString(List<String> argv) {
    if (argv.isEmpty() || !SHELLS.contains(FsPath.name(argv.get(0)))) {
      return java.util.Optional.empty();
    }
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("-") || a.startsWith("--")) {
        return java.util.Optional.empty();
      }
      if (a.substring(1).contains("c")) {
        return i + 1 < argv.size()
            ? java.util.Optional.of(argv.get(i + 1))
            : java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(n -> out.add(n.asText("")));
    }
    return out;
  }
}
