package dev.skinnywhale.cli;

import dev.skinnywhale.docker.RunOptionParser;
import dev.skinnywhale.docker.RunOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code docker run} options of the probe (and verification) containers, with docker's names
 * and syntax; and the ones that would grant privileges, refused by name with the reason.
 */
public final class ProbeRunOptions {
  @Option(
      names = "--add-host",
      paramLabel = "NAME:ADDR",
      description = "Add NAME → ADDR (an IP address) to the probe's /etc/hosts. Repeatable.")
  List<String> addHosts = new ArrayList<>();

  @Option(
      names = "--tmpfs",
      paramLabel = "PATH[:OPTS]",
      description =
          "Mount a tmpfs at PATH (OPTS as mount(8): size=64m,mode=1777,noexec...). Repeatable.")
  List<String> tmpfs = new ArrayList<>();

  @Option(
      names = {"-v", "--volume"},
      paramLabel = "[SRC:]DST[:OPTS]",
      description =
          "Bind-mount the host path SRC (or the existing volume SRC) at DST, read-only unless OPTS"
              + " has rw; SRC must exist. Paths under DST are never kept and never count as"
              + " traced. Repeatable.")
  List<String> volumes = new ArrayList<>();

  @Option(
      names = "--mount",
      paramLabel = "type=bind|volume|tmpfs,...",
      description =
          "A mount in docker's --mount syntax (source, target, readonly, bind-propagation,"
              + " volume-nocopy, tmpfs-size, tmpfs-mode); read-only unless readonly=false."
              + " Repeatable.")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--shm-size", paramLabel = "SIZE", description = "Size of /dev/shm (64m, 1g).")
  String shmSize;

  @Option(
      names = "--ulimit",
      paramLabel = "NAME=SOFT[:HARD]",
      description = "A resource limit (nofile=1024:2048). Repeatable.")
  List<String> ulimits = new ArrayList<>();

  @Option(
      names = "--dns",
      paramLabel = "ADDR",
      description = "A name server for the probe (with --network host only). Repeatable.")
  List<String> dns = new ArrayList<>();

  /** What would grant a privilege: refused by name (hidden from --help), with the reason. */
  @Option(names = "--privileged", hidden = true)
  boolean privileged;

  @Option(
      names = {
        "--cap-add",
        "--device",
        "--device-cgroup-rule",
        "--gpus",
        "--security-opt",
        "--pid",
        "--ipc",
        "--uts",
        "--userns",
        "--cgroupns",
        "--sysctl",
        "--runtime"
      },
      hidden = true,
      paramLabel = "VALUE")
  List<String> refused = new ArrayList<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** The parsed options; bad or privileged ones are usage errors (exit 2). */
  RunOptions toOptions(String network) {
    var parsed = spec.commandLine().getParseResult();
    List<String> refusedNames = new ArrayList<>(List.of("--privileged"));
    refusedNames.addAll(List.of(spec.findOption("--cap-add").names()));
    for (String arg : parsed == null ? List.<String>of() : parsed.originalArgs()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (refusedNames.contains(name)) {
        throw new ParameterException(
            spec.commandLine(),
            name
                + " is refused: probe containers get no privileges, no added capabilities and no"
                + " devices, under the engine's default seccomp profile");
      }
    }
    if (!dns.isEmpty() && !network.equals("host")) {
      throw new ParameterException(
          spec.commandLine(), "--dns applies with --network host only (the probe has no network)");
    }
    List<RunOptions.Mount> all = new ArrayList<>(parse(volumes, RunOptionParser::volume));
    all.addAll(parse(mounts, RunOptionParser::mount));
    List<String> targets = new ArrayList<>();
    all.forEach(m -> targets.add(m.target()));
    parse(tmpfs, RunOptionParser::tmpfs).forEach(t -> targets.add(t.path()));
    for (int i = 0; i < targets.size(); i++) {
      if (targets.subList(0, i).contains(targets.get(i))) {
        throw new ParameterException(
            spec.commandLine(), "two mounts at " + targets.get(i) + ": Duplicate mount point");
      }
    }
    return new RunOptions(
        parse(addHosts, RunOptionParser::addHost),
        parse(tmpfs, RunOptionParser::tmpfs),
        all,
        Optional.ofNullable(shmSize).map(s -> one(s, RunOptionParser::shmSize)),
        parse(ulimits, RunOptionParser::ulimit),
        parse(dns, RunOptionParser::dns));
  }

  private <T> List<T> parse(List<String> values, Function<String, T> parser) {
    List<T> out = new ArrayList<>();
    values.forEach(v -> out.add(one(v, parser)));
    return out;
  }

  private <T> T one(String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
