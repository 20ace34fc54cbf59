package dev.skinnywhale.cli;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.TraceRequest;
import dev.skinnywhale.workflow.TraceResult;
import dev.skinnywhale.workflow.Workflows;
import dev.skinnywhale.workflow.steps.PrepareCommands;
import dev.skinnywhale.workflow.steps.SaveProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skinnywhale trace [--run CMD] <container|image>}: probe, merge with the closure, verify.
 */
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
      "Without --run (or with --run-config) the probe is the image's own command, Entrypoint +"
          + " Cmd, as docker run IMAGE runs it: still running at --config-timeout is a service"
          + " that started (then stopped), and while it runs the image's healthcheck is tried in"
          + " the same container; verification runs it in the slim image the same way.",
      "Probe containers: network none (unless --network), no added capabilities, not privileged,"
          + " the engine's default seccomp profile. The source container and image are never"
          + " changed.",
      ""
    })
public final class TraceCommand implements Callable<Integer> {
  private final CliContext context;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CONTAINER|IMAGE",
      description =
          "Container (id, id prefix or name) or image reference of the engine; or"
              + " docker-archive:FILE[:NAME], oci-archive:FILE[:NAME], oci:DIR[:NAME],"
              + " docker://REGISTRY/NAME[:TAG|@DIGEST].")
  String target;

  @Option(
      names = "--run",
      paramLabel = "CMD",
      description =
          "A smoke command, run through /bin/sh -c when the image has a shell, otherwise split"
              + " into words with shell quoting rules. Repeatable; run in order. Without any, the"
              + " image's own command is the probe.")
  List<String> runs = new ArrayList<>();

  @Option(
      names = "--run-config",
      description =
          "Also probe the image's own command (Entrypoint + Cmd, and its healthcheck), as"
              + " without --run.")
  boolean runConfig;

  @Option(
      names = "--config-timeout",
      paramLabel = "SECONDS",
      description =
          "How long the image's own command runs: still running then is a service that started"
              + " (default: 10; at most 86400).")
  long configTimeoutSeconds = TraceRequest.DEFAULT_CONFIG_TIMEOUT.toSeconds();

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
      description =
          "Time limit per command, at most 86400 (24 hours); the traced tree is killed at the"
              + " limit (default: 60).")
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

  @Option(
      names = "--seccomp-profile",
      paramLabel = "FILE",
      description =
          "Also record every syscall the commands make (slower: the tracer stops at each) and"
              + " write a seccomp profile for the slim image to FILE (Docker's JSON, for"
              + " --security-opt seccomp=FILE): the syscalls seen, plus what the container"
              + " runtime needs to start a process under it, measured on this engine. Every"
              + " command is verified under it; when one fails there, the syscalls it was denied"
              + " are named and FILE is not written (exit 8).")
  Path seccompProfile;

  @Mixin ProbeRunOptions runOptions;

  @Mixin SlimOptions slim;

  @Mixin ProfileOptions profiles;

  @Mixin CommonOptions common;

  private final Path workDir;

  public TraceCommand(CliContext context, Path workDir) {
    this.context = context;
    this.workDir = workDir;
  }

  /** A name goes to ./profiles/NAME.json; a path (with '/' or ending in .json) is used as it is. */
  SaveProfile.Target saveProfileTarget(String value) {
    if (value.endsWith(".json") || value.contains("/")) {
      Path file = workDir.resolve(value);
      String fileName = file.getFileName().toString();
      String name =
          fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
      return new SaveProfile.Target(name, file);
    }
    try {
      dev.skinnywhale.profile.Profile.checkName(value);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--save-profile: " + e.getMessage());
    }
    return new SaveProfile.Target(value, workDir.resolve("profiles").resolve(value + ".json"));
  }

  /** The longest --timeout and --config-timeout: a day (a probe is a smoke test, not a job). */
  static final long MAX_SECONDS = java.time.Duration.ofHours(24).toSeconds();

  private void checkSeconds(String option, long seconds) {
    if (seconds <= 0 || seconds > MAX_SECONDS) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          option + " must be from 1 to " + MAX_SECONDS + " seconds (24 hours), got " + seconds);
    }
  }

  /** The most a --run-file may hold: a smoke script is lines, not megabytes. */
  static final int MAX_RUN_FILE_BYTES = 4 << 20;

  /**
   * The run file, read up to the limit (a device or a pipe has no size to check first: {@code
   * /dev/zero} is refused, not read whole).
   */
  private byte[] readRunFile(Path file) throws java.io.IOException {
    byte[] bytes;
    try (java.io.InputStream in = Files.newInputStream(workDir.resolve(file))) {
      bytes = in.readNBytes(MAX_RUN_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_RUN_FILE_BYTES) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--run-file "
              + file
              + ": larger than "
              + (MAX_RUN_FILE_BYTES >> 20)
              + " MiB; a smoke script should be a few lines");
    }
    return bytes;
  }

  @Override
  public Integer call() throws Exception {
    boolean debug = common.debug || context.envFlag("DEBUG");
    List<String> commands = new ArrayList<>(runs);
    Optional<PrepareCommands.RunFile> script = Optional.empty();
    if (runFile != null) {
      script =
          Optional.of(
              new PrepareCommands.RunFile(
                  runFile.getFileName().toString(),
                  new String(readRunFile(runFile), StandardCharsets.ISO_8859_1)));
    }
    for (String e : env) {
      if (!e.contains("=") || e.startsWith("=")) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--env wants KEY=VALUE, got: " + e);
      }
    }
    checkSeconds("--timeout", timeoutSeconds);
    checkSeconds("--config-timeout", configTimeoutSeconds);
    Optional<SaveProfile.Target> save = Optional.empty();
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
                Duration.ofSeconds(timeoutSeconds),
                runOptions.toOptions(network)),
            expectTimeout,
            !noVerify,
            ldDebug,
            save,
            runConfig,
            Duration.ofSeconds(configTimeoutSeconds),
            Optional.ofNullable(seccompProfile).map(workDir::resolve));
    ConsoleReporter reporter = new ConsoleReporter(context.err(), debug, json);
    TraceResult result;
    java.util.Optional<String> runId = common.runId(context);
    try (DockerEngine engine = context.engines().get()) {
      result =
          new Workflows(
                  engine,
                  reporter,
                  context.clock(),
                  profiles.store(context, workDir),
                  context.env(),
                  runId)
              .trace(request);
    } finally {
      reporter.finish();
    }
    if (json) {
      context
          .out()
          .println(
              context
                  .json()
                  .writerWithDefaultPrettyPrinter()
                  .writeValueAsString(TraceSummary.json(result, context.json())));
    } else {
      TraceSummary.print(result, context.out(), debug);
    }
    if (!result.verified()) {
      context
          .err()
          .println(
              "skinnywhale: error: verification failed: the slim image "
                  + result.slim().tag()
                  + " was left for inspection");
      return ExitCodes.VERIFY_FAILED;
    }
    return ExitCodes.OK;
  }
}
