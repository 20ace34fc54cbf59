package dev.skinnywhale.cli;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.workflow.SlimRequest;
import dev.skinnywhale.workflow.SlimResult;
import dev.skinnywhale.workflow.Workflows;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skinnywhale <container|image>}: the static slim of a container's change set. */
@Command(
    name = "skinnywhale",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Makes a Docker image small without breaking it.",
      "",
      "Takes a container's change set (what was installed in it, versus its image), or an image"
          + " (everything, or what lies above --base), resolves the shared libraries of every ELF"
          + " file in it inside the image as its own dynamic linker would, and writes one new image"
          + " holding the change set, that closure, the symlinks on the way and the parent"
          + " directories, with the source's config (Entrypoint, Cmd, Env, User, WorkingDir, ...).",
      "The source container and image are never changed.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
public final class SkinnywhaleCommand implements Callable<Integer> {
  private final CliContext context;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CONTAINER|IMAGE",
      arity = "0..1",
      description =
          "Container (id, id prefix or name; running or stopped) or image reference of the"
              + " engine; or docker-archive:FILE[:NAME], oci-archive:FILE[:NAME], oci:DIR[:NAME],"
              + " docker://REGISTRY/NAME[:TAG|@DIGEST] (read without an engine).")
  String target;

  @Mixin SlimOptions slim;

  @Mixin ProfileOptions profiles;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Mixin CommonOptions common;

  private final java.nio.file.Path workDir;

  public SkinnywhaleCommand(CliContext context, java.nio.file.Path workDir) {
    this.context = context;
    this.workDir = workDir;
  }

  @Override
  public Integer call() throws Exception {
    if (target == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required parameter: 'CONTAINER|IMAGE'");
    }
    return run(
        context,
        workDir,
        slim.toRequest(target, context, profiles),
        profiles,
        common,
        json,
        false,
        java.util.Optional.empty());
  }

  /**
   * The plain slim and (with {@code build} set) {@code build}: one request, one result; {@code
   * build} writes the profiles' seccomp policy to {@code seccompProfile} when given.
   */
  static int run(
      CliContext context,
      java.nio.file.Path workDir,
      SlimRequest request,
      ProfileOptions profiles,
      CommonOptions common,
      boolean json,
      boolean build,
      java.util.Optional<java.nio.file.Path> seccompProfile)
      throws Exception {
    boolean debug = common.debug || context.envFlag("DEBUG");
    ConsoleReporter reporter = new ConsoleReporter(context.err(), debug, json);
    SlimResult result;
    java.util.Optional<String> runId = common.runId(context);
    try (DockerEngine engine = context.engines().get()) {
      Workflows workflows =
          new Workflows(
              engine,
              reporter,
              context.clock(),
              profiles.store(context, workDir),
              context.env(),
              runId);
      result = build ? workflows.build(request, seccompProfile) : workflows.slim(request);
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
                  .writeValueAsString(Summary.json(result, context.json())));
    } else {
      Summary.print(result, context.out(), debug);
    }
    return ExitCodes.OK;
  }
}
