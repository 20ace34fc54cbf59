package dev.skinnywhale.workflow.keep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link Reason#CONFIG}: what the image config needs to start at all, which no trace sees because
 * the engine, not the program, uses it: the entrypoint program (or the command's, without an
 * entrypoint) found on the image's PATH, the working directory (with its owner and mode), an empty
 * /tmp, and /etc/passwd and /etc/group when the config or the probe names a user by name (the
 * engine looks the name up there).
 */
public final class RuntimeConfigContributor implements KeepContributor {
  private final Optional<String> probeUser;
  private final Optional<String> probeWorkdir;

  /** The user and working directory the probes ran with, which verification uses too. */
  public RuntimeConfigContributor(Optional<String> probeUser, Optional<String> probeWorkdir) {
    this.probeUser = probeUser;
    this.probeWorkdir = probeWorkdir;
  }

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    JsonNode config = snapshot.source().imageConfig().path("config");
    List<String> users = new ArrayList<>();
    text(config, "User").ifPresent(users::add);
    probeUser.ifPresent(users::add);
    boolean byName =
        users.stream()
            .flatMap(u -> Arrays.stream(u.split(":")))
            .anyMatch(part -> !part.isEmpty() && !part.chars().allMatch(Character::isDigit));
    if (byName) {
      for (String db : List.of("/etc/passwd", "/etc/group")) {
        if (fs.resolve(db).found()) {
          plan.add(db, Reason.CONFIG);
        }
      }
    }
    List<String> dirs = new ArrayList<>();
    // /tmp (empty, with its mode): where mktemp, tempfile and most runtimes write.
    dirs.add("/tmp");
    text(config, "WorkingDir").ifPresent(dirs::add);
    probeWorkdir.ifPresent(dirs::add);
    for (String dir : dirs) {
      var r = fs.resolve(FsPath.fromText(dir));
      if (r.found() && r.node().orElseThrow() instanceof FsNode.Directory) {
        plan.addResolved(r, Reason.CONFIG);
      }
    }
    JsonNode argv =
        config.path("Entrypoint").isArray() && config.path("Entrypoint").size() > 0
            ? config.path("Entrypoint")
            : config.path("Cmd");
    if (argv.isArray() && argv.size() > 0) {
      String program = FsPath.fromText(argv.get(0).asText(""));
      fs.findProgram(program, snapshot.env().path())
          .ifPresent(r -> plan.addResolved(r, Reason.CONFIG));
    }
  }

  private static Optional<String> text(JsonNode config, String field) {
    return Optional.of(config.path(field).asText("")).filter(s -> !s.isEmpty());
  }
}
