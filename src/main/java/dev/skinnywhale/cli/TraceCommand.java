package dev.skinnywhale.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.TraceRequest;
import dev.skinnywhale.workflow.TraceResult;
import dev.skinnywhale.workflow.TraceWorkflow;
import dev.skinnywhale.workflow.VerificationFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skinnywhale trace --run CMD <container|image>}: probe, merge with the closure, verify. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Runs smoke commands in throw-away probe containers under skinnywhale's ptrace tracer, keeps"
          + " what they opened, exec'd and stat'ed (with symlink hops, parents and the static"
          + " closure of every traced ELF file), builds the slim image, and verifies that the"
          + " commands exit there as they did in the source.",
      "Probe containers: network none (unless --network), no added capabilities, not privileged,"
          + " the engine's default seccomp profile. The source container and image are never"
          + " changed.",
      ""
    })
public final class TraceCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(
      index = "0",
      paramLabel = "CONTAINER|IMAGE",
      description = "Container (id, id prefix or name) or image reference.")
  String target;

  @Option(
      names = "--run",
      paramLabel = "CMD",
      description =
          "A smoke command, run through /bin/sh -c when the image has a shell, otherwise split"
              + " into words with shell quoting rules. Repeatable; run in order.")
  List<String> runs = new ArrayList<>();

  @Option(
      names = "--run-file",
      paramLabel = "FILE",
      description = "A shell script run as one more smoke command (needs a shell in the image).")
  Path runFile;

  @Option(
      names = "--network",
      paramLabel = "none|host|NAME",
      description = "Network of the probe containers (default: none).")
  String network = "none";

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment of the probe runs. Repeatable.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      description = "User of the probe runs.")
  String user;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory of the probe runs.")
  String workdir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Time limit per command; the traced tree is killed at the limit (default: 60).")
  long timeoutSeconds = 60;

  @Option(
      names = "--expect-timeout",
      description = "A command killed at the time limit counts as success (services that stay up).")
  boolean expectTimeout;

  @Option(names = "--no-verify", description = "Do not run the commands in the slim image.")
  boolean noVerify;

  @Option(
      names = "--ld-debug",
      description = "Trace with LD_DEBUG instead of ptrace (libraries only, no data files).")
  boolean ldDebug;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(
      names = "--save-profile",
      paramLabel = "NAME|FILE",
      description =
          "Save what the probes found as a profile: NAME is written to ./profiles/NAME.json, a"
              + " value ending in .json or containing '/' is the file itself.")
  String saveProfile;

  @Mixin SlimOptions slim;

  @Mixin ProfileOptions profiles;

  @Mixin CommonOptions common;

  private final Path workDir;

  public TraceCommand(CliContext context, Path workDir) {
    this.context = context;
    this.workDir = workDir;
  }

  /** A name goes to ./profiles/NAME.json; a path (with '/' or ending in .json) is used as it is. */
  TraceRequest.SaveProfile saveProfileTarget(String value) {
    if (value.endsWith(".json") || value.contains("/")) {
      Path file = workDir.resolve(value);
      String fileName = file.getFileName().toString();
      String name =
          fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
      return new TraceRequest.SaveProfile(name, file);
    }
    try {
      dev.skinnywhale.profile.Profile.checkName(value);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--save-profile: " + e.getMessage());
    }
    return new TraceRequest.SaveProfile(
        value, workDir.resolve("profiles").resolve(value + ".json"));
  }

  @Override
  public Integer call() throws Exception {
    boolean debug = common.debug || context.envFlag("DEBUG");
    List<String> commands = new ArrayList<>(runs);
    Optional<TraceRequest.RunFile> script = Optional.empty();
    if (runFile != null) {
      script =
          Optional.of(
              new TraceRequest.RunFile(
                  runFile.getFileName().toString(),
                  new String(Files.readAllBytes(runFile), StandardCharsets.ISO_8859_1)));
    }
    if (commands.isEmpty() && script.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "give at least one --run CMD or --run-file FILE");
    }
    for (String e : env) {
      if (!e.contains("=") || e.startsWith("=")) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--env wants KEY=VALUE, got: " + e);
      }
    }
    if (timeoutSeconds <= 0) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--timeout must be a positive number of seconds");
    }
    Optional<TraceRequest.SaveProfile> save = Optional.empty();
    if (saveProfile != null) {
      save = Optional.of(saveProfileTarget(saveProfile));
    }
    TraceRequest request =
        new TraceRequest(
            slim.toRequest(target, context, profiles),
            commands,
            script,
            new ProbeOptions(
                network,
                env,
                Optional.ofNullable(user),
                Optional.ofNullable(workdir),
                Duration.ofSeconds(timeoutSeconds)),
            expectTimeout,
            !noVerify,
            ldDebug,
            save);
    ConsoleReporter reporter = new ConsoleReporter(context.err(), debug, json);
    TraceResult result;
    int code = ExitCodes.OK;
    try (DockerEngine engine = context.engines().get()) {
      result =
          new TraceWorkflow(engine, reporter, context.clock(), profiles.store(context, workDir))
              .run(request);
    } catch (VerificationFailedException e) {
      result = e.result();
      code = ExitCodes.VERIFY_FAILED;
    }
    if (json) {
      context
          .out()
          .println(
              context.json().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(result)));
    } else {
      print(result, debug);
    }
    if (code != ExitCodes.OK) {
      context
          .err()
          .println(
              "skinnywhale: error: verification failed: the slim image "
                  + result.slim().tag()
                  + " was left for inspection");
    }
    return code;
  }

  private void print(TraceResult r, boolean debug) {
    var out = context.out();
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
    for (TraceResult.Verification v : r.verification()) {
      out.printf(
          "verify `%s`: %s (source: %s) %s%n",
          v.command(), v.slimOutcome(), v.fatOutcome(), v.passed() ? "ok" : "FAILED");
      v.missing().forEach(m -> out.println("  missing: " + m));
    }
    if (r.verification().isEmpty()) {
      out.println("verify: not run");
    }
    if (r.verified()) {
      Summary.print(r.slim(), out, debug);
    } else {
      Summary.printWithoutWhale(r.slim(), out, debug);
    }
  }

  private ObjectNode toJson(TraceResult r) {
    ObjectNode root = Summary.json(r.slim(), context.json());
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
    }
    ArrayNode verification = root.putArray("verification");
    for (TraceResult.Verification v : r.verification()) {
      ObjectNode n = verification.addObject();
      n.put("command", v.command());
      n.put("passed", v.passed());
      n.put("slim", v.slimOutcome());
      n.put("source", v.fatOutcome());
      ArrayNode missing = n.putArray("missing");
      v.missing().forEach(missing::add);
    }
    root.put("verified", r.verified());
    return root;
  }
}
