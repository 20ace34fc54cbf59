package dev.skinnywhale.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.TraceResult;
import dev.skinnywhale.workflow.steps.Verification;
import java.io.PrintStream;
import java.util.Locale;

/** Renders a trace result for people (probes, verification, then the slim summary) or as JSON. */
final class TraceSummary {
  private TraceSummary() {}

  static void print(TraceResult r, PrintStream out, boolean debug) {
    out.println();
    for (ProbeRun p : r.probes()) {
      out.printf(
          "probe `%s`: %s, %d paths (%s)%n",
          p.command().text(),
          p.outcome(),
          p.accesses().successfulPaths().size(),
          p.tracer().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    out.printf(
        "keep strategy: %s; %d traced paths kept%n",
        r.keep().name().toLowerCase(Locale.ROOT), r.tracedPaths());
    for (Verification v : r.verification()) {
      out.printf(
          "verify `%s`: %s (source: %s) %s%n",
          v.command(), v.slimOutcome(), v.fatOutcome(), v.passed() ? "ok" : "FAILED");
      v.missing().forEach(m -> out.println("  missing: " + m));
      v.denied().forEach(d -> out.println("  denied by the seccomp profile: " + d));
    }
    r.seccomp()
        .ifPresent(
            s ->
                out.printf(
                    "seccomp profile: %d syscalls allowed, %d refused with ENOSYS; %s%n",
                    s.policy().allowed().size(),
                    s.policy().enosys().size(),
                    s.written().map(f -> "written to " + f).orElse("not written")));
    if (r.verification().isEmpty()) {
      out.println("verify: not run");
    }
    if (r.verified()) {
      Summary.print(r.slim(), out, debug);
    } else {
      Summary.printWithoutWhale(r.slim(), out, debug);
    }
  }

  static ObjectNode json(TraceResult r, ObjectMapper mapper) {
    ObjectNode root = Summary.json(r.slim(), mapper);
    root.put("keep", r.keep().name().toLowerCase(Locale.ROOT));
    root.put("tracedPaths", r.tracedPaths());
    ArrayNode probes = root.putArray("probes");
    for (ProbeRun p : r.probes()) {
      ObjectNode n = probes.addObject();
      n.put("command", p.command().text());
      p.exitCode().ifPresent(c -> n.put("exitCode", c));
      n.put("timedOut", p.timedOut());
      n.put("tracer", p.tracer().name().toLowerCase(Locale.ROOT));
      n.put("paths", p.accesses().successfulPaths().size());
      p.command().service().ifPresent(service -> n.put("service", true));
      p.health()
          .ifPresent(
              h -> {
                ObjectNode health = n.putObject("health");
                health.put("healthy", h.healthy());
                health.put("tries", h.tries());
                h.exitCode().ifPresent(c -> health.put("exitCode", c));
              });
    }
    ArrayNode verification = root.putArray("verification");
    for (Verification v : r.verification()) {
      ObjectNode n = verification.addObject();
      n.put("command", v.command());
      n.put("passed", v.passed());
      n.put("slim", v.slimOutcome());
      n.put("source", v.fatOutcome());
      ArrayNode missing = n.putArray("missing");
      v.missing().forEach(missing::add);
      if (!v.denied().isEmpty()) {
        ArrayNode denied = n.putArray("denied");
        v.denied().forEach(denied::add);
      }
    }
    r.seccomp()
        .ifPresent(
            s -> {
              ObjectNode n = root.putObject("seccomp");
              n.put("allowed", s.policy().allowed().size());
              n.put("enosys", s.policy().enosys().size());
              ArrayNode runtime = n.putArray("forRuntime");
              s.forRuntime().forEach(runtime::add);
              ArrayNode fromTrue = n.putArray("fromTrue");
              s.fromTrue().forEach(fromTrue::add);
              s.written().ifPresent(f -> n.put("written", f.toString()));
            });
    root.put("verified", r.verified());
    return root;
  }
}
