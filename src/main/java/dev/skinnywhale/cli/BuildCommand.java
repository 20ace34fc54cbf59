package dev.skinnywhale.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skinnywhale build --profile NAME <container|image>}: a slim build with profiles, no probe.
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Builds the slim image from what saved profiles name, without running anything: the"
          + " profiles' entries are re-checked against this image (missing ones are warned"
          + " about, or with --strict end the build), and the static closure is computed for this"
          + " image.",
      ""
    })
public final class BuildCommand implements Callable<Integer> {
  private final CliContext context;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  private final Path workDir;

  @Parameters(
      index = "0",
      paramLabel = "CONTAINER|IMAGE",
      description =
          "Container (id, id prefix or name) or image reference of the engine; or"
              + " docker-archive:FILE[:NAME], oci-archive:FILE[:NAME], oci:DIR[:NAME],"
              + " docker://REGISTRY/NAME[:TAG|@DIGEST].")
  String target;

  @Mixin ProfileOptions profiles;

  @Mixin SlimOptions slim;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(
      names = "--seccomp-profile",
      paramLabel = "FILE",
      description =
          "Write the seccomp profile the --profile files carry (saved by trace --seccomp-profile"
              + " --save-profile) to FILE, as Docker's JSON; unverified, since build runs nothing.")
  Path seccompProfile;

  @Mixin CommonOptions common;

  public BuildCommand(CliContext context, Path workDir) {
    this.context = context;
    this.workDir = workDir;
  }

  @Override
  public Integer call() throws Exception {
    if (profiles.profiles.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "build needs at least one --profile (or --profile auto)");
    }
    return SkinnywhaleCommand.run(
        context,
        workDir,
        slim.toRequest(target, context, profiles),
        profiles,
        common,
        json,
        java.util.Optional.ofNullable(seccompProfile).map(workDir::resolve));
  }
}
