package dev.skinnywhale.workflow.keep;

import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.Reason;
import dev.skinnywhale.linker.ShellCommands;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Reason#SCRIPT_COMMAND}, in every strategy: the programs a kept shell script runs, and the
 * files it sources — the closure of a script as the static closure is that of an ELF file. git's
 * {@code git-submodule} runs {@code basename}, {@code sed} and {@code uname} of the essential core,
 * which stays at file level and which no smoke command of git ran. A name counts only when it is a
 * program on the image's PATH or next to the script (git runs its helpers from its exec path); what
 * is found is kept with its symlinks and, in turn, its closure. Budgets: scripts of at most {@value
 * #MAX_SCRIPT_BYTES} bytes are read, {@value #MAX_SCRIPTS} at most per round.
 */
public final class ScriptCommandsContributor implements ExpandingContributor {
  static final int MAX_SCRIPT_BYTES = 1 << 20;
  static final int MAX_SCRIPTS = 20_000;

  @Override
  public void contribute(Snapshot snapshot, KeepPlan.Builder plan, Reporter reporter) {
    RootFs fs = snapshot.fs();
    List<String> path = snapshot.env().path();
    Deque<String> scripts = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    for (String root : ClosureContributor.roots(fs, plan.build())) {
      if (isShellScript(fs, root) && seen.add(root)) {
        scripts.add(root);
      }
    }
    int read = 0;
    while (!scripts.isEmpty()) {
      String script = scripts.poll();
      if (++read > MAX_SCRIPTS) {
        reporter.warn(
            "more than "
                + MAX_SCRIPTS
                + " shell scripts kept: the programs of the rest are not"
                + " looked for");
        return;
      }
      Optional<String> text = text(fs, script, reporter);
      if (text.isEmpty()) {
        continue;
      }
      ShellCommands.Found found = ShellCommands.scan(text.get());
      String dir = FsPath.parent(script).orElse(FsPath.ROOT);
      for (String command : found.commands()) {
        find(fs, command, dir, path).ifPresent(r -> plan.addResolved(r, Reason.SCRIPT_COMMAND));
      }
      for (String lib : found.sourced()) {
        Optional<Resolution> r = find(fs, lib, dir, path);
        if (r.isPresent()) {
          plan.addResolved(r.get(), Reason.SCRIPT_COMMAND);
          if (seen.add(r.get().finalPath())) {
            scripts.add(r.get().finalPath());
          }
        }
      }
    }
  }

  /** A name as the script would find it: a path as it is, else on PATH, else next to it. */
  private static Optional<Resolution> find(RootFs fs, String name, String dir, List<String> path) {
    if (name.startsWith("/")) {
      return fs.findProgram(name, path);
    }
    List<String> dirs = new ArrayList<>(path);
    dirs.add(dir);
    return fs.findProgram(name, dirs);
  }

  private static boolean isShellScript(RootFs fs, String path) {
    Optional<FsNode.RegularFile> f = fs.file(path);
    if (f.isEmpty() || f.get().size() < 2) {
      return false;
    }
    try {
      return ShellCommands.isShellScript(f.get().content().read(256));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> text(RootFs fs, String path, Reporter reporter) {
    Optional<FsNode.RegularFile> f = fs.file(path);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    if (f.get().size() > MAX_SCRIPT_BYTES) {
      reporter.debug(
          path + " is larger than " + MAX_SCRIPT_BYTES + " bytes: its commands are not read");
      return Optional.empty();
    }
    try {
      ByteBuffer bytes = f.get().content().read(MAX_SCRIPT_BYTES);
      return Optional.of(StandardCharsets.ISO_8859_1.decode(bytes).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
    }
  }
}
