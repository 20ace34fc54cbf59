package dev.skinnywhale.shell;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.Resolution;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The commands the shell scripts of an image run, found in the image: for every given file whose
 * {@code #!} names sh, dash, bash, ash or BusyBox's sh (directly or through env), and for inline
 * scripts ({@code sh -c} strings of the image config), the words in command position ({@link
 * ScriptAnalysis}) that are not builtins or functions of the script or of the files it sources are
 * looked up as execvp would: on the script's own PATH at that line, then the image's PATH, then, as
 * a last resort, the script's own directory (suites such as git-core put it on PATH before running
 * their scripts). Files read with {@code .}/{@code source} are found the same way (no execute bit
 * needed) and analysed with the script. A command that is itself a shell script is analysed in
 * turn.
 *
 * <p>Budgets: a script larger than {@value #MAX_SCRIPT_BYTES} bytes, or over the token budget, is
 * skipped with a warning, and so is every script past {@value #MAX_TOTAL_SCRIPT_BYTES} bytes read
 * in all; a file with a NUL byte is not a script; at most {@value #MAX_SCRIPTS} scripts are
 * analysed per call, sources nested at most {@value #MAX_SOURCE_DEPTH} deep.
 */
public final class ScriptClosure {
  public static final int MAX_SCRIPT_BYTES = 4 << 20;
  public static final long MAX_TOTAL_SCRIPT_BYTES = 64L << 20;
  public static final int MAX_SCRIPTS = 5_000;
  public static final int MAX_SOURCE_DEPTH = 8;
  private static final int SHEBANG_MAX = 255;

  /** Shell text that is not a file: {@code where} names it ("config Cmd"). */
  public record InlineScript(String where, String text) {
    public InlineScript {
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A file a script needs.
   *
   * @param name as the script wrote it
   * @param resolution where it was found, with the symlinks on the way
   * @param script the script (or sourced file, or inline script) that names it
   * @param line where
   * @param sourced read with {@code .}/{@code source} rather than run
   */
  public record Found(
      String name, Resolution resolution, String script, int line, boolean sourced) {}

  /** A command name found on no PATH directory. */
  public record Missing(String name, String script, int line) {}

  /** A script that was not (completely) analysed, and why; {@code warn} for budgets. */
  public record Skipped(String script, String reason, boolean warn) {}

  /**
   * What the scripts need.
   *
   * @param found each file once (the first script and line that named it), in discovery order
   * @param missing names not found, once per (name, script)
   * @param dynamic commands whose name is an expansion, per script ({@code script: line N: $X})
   * @param skipped scripts not analysed
   * @param scripts how many scripts and sourced files were analysed
   */
  public record Result(
      List<Found> found,
      List<Missing> missing,
      List<String> dynamic,
      List<Skipped> skipped,
      int scripts) {
    public Result {
      found = List.copyOf(found);
      missing = List.copyOf(missing);
      dynamic = List.copyOf(dynamic);
      skipped = List.copyOf(skipped);
    }
  }

  private final RootFs fs;
  private final List<String> imagePath;
  private final Map<String, Optional<ScriptAnalysis>> analyses = new HashMap<>();
  private final List<Skipped> skipped = new ArrayList<>();
  private long bytesRead;
  private final List<String> dynamic = new ArrayList<>();

  public ScriptClosure(RootFs fs, List<String> imagePath) {
    this.fs = fs;
    this.imagePath = List.copyOf(imagePath);
  }

  /** The needs of the shell scripts among {@code files} (image paths) and of {@code inline}. */
  public Result of(Collection<String> files, List<InlineScript> inline) {
    Map<String, Found> found = new java.util.LinkedHashMap<>();
    Set<List<String>> missingSeen = new HashSet<>();
    List<Missing> missing = new ArrayList<>();
    Deque<String> queue = new ArrayDeque<>();
    Set<String> queued = new HashSet<>();
    for (String file : new TreeSet<>(files)) {
      Resolution r = fs.resolve(file);
      if (r.found() && isShellScript(r.finalPath()) && queued.add(r.finalPath())) {
        queue.add(r.finalPath());
      }
    }
    for (InlineScript s : inline) {
      ScriptAnalysis a;
      try {
        a = ScriptAnalysis.of(s.text());
      } catch (ShellBudgetException e) {
        skipped.add(new Skipped(s.where(), e.getMessage(), true));
        continue;
      }
      noteDynamic(s.where(), a);
      need(
          s.where(),
          Optional.empty(),
          List.of(a),
          Set.of(),
          found,
          missing,
          missingSeen,
          queue,
          queued);
    }
    int scripts = 0;
    while (!queue.isEmpty()) {
      if (scripts >= MAX_SCRIPTS) {
        skipped.add(
            new Skipped(queue.peek(), "more than " + MAX_SCRIPTS + " scripts analysed", true));
        break;
      }
      String script = queue.poll();
      scripts++;
      // The script and what it sources, transitively: their functions are the script's.
      Map<String, ScriptAnalysis> unit = new java.util.LinkedHashMap<>();
      collect(script, 0, unit, found);
      Set<String> functions = new HashSet<>();
      unit.values().forEach(a -> functions.addAll(a.functions()));
      for (Map.Entry<String, ScriptAnalysis> e : unit.entrySet()) {
        need(
            e.getKey(),
            FsPath.parent(e.getKey()),
            List.of(e.getValue()),
            functions,
            found,
            missing,
            missingSeen,
            queue,
            queued);
      }
      scripts += unit.size() - 1;
    }
    return new Result(List.copyOf(found.values()), missing, dynamic, skipped, scripts);
  }

  /** The commands of one analysed text: found ones kept (scripts queued), the others noted. */
  private void need(
      String script,
      Optional<String> dir,
      List<ScriptAnalysis> analyses,
      Set<String> functions,
      Map<String, Found> found,
      List<Missing> missing,
      Set<List<String>> missingSeen,
      Deque<String> queue,
      Set<String> queued) {
    for (ScriptAnalysis a : analyses) {
      for (ScriptAnalysis.CommandUse use : a.commands()) {
        if (functions.contains(use.name())) {
          continue;
        }
        Optional<Resolution> r = lookUp(use.name(), use.path(), dir, true);
        if (r.isEmpty()) {
          if (missingSeen.add(List.of(use.name(), script))) {
            missing.add(new Missing(use.name(), script, use.line()));
          }
          continue;
        }
        String real = r.get().finalPath();
        found.putIfAbsent(real, new Found(use.name(), r.get(), script, use.line(), false));
        if (isShellScript(real) && queued.add(real)) {
          queue.add(real);
        }
      }
    }
  }

  /** A script and the files it sources (found, kept and analysed), depth-first, each once. */
  private void collect(
      String real, int depth, Map<String, ScriptAnalysis> unit, Map<String, Found> found) {
    if (unit.containsKey(real)) {
      return;
    }
    Optional<ScriptAnalysis> a = analyse(real);
    if (a.isEmpty()) {
      return;
    }
    unit.put(real, a.get());
    if (depth >= MAX_SOURCE_DEPTH) {
      skipped.add(
          new Skipped(real, "sources nested deeper than " + MAX_SOURCE_DEPTH + " not read", true));
      return;
    }
    for (ScriptAnalysis.SourceUse s : a.get().sourced()) {
      Optional<Resolution> r = lookUp(s.name(), s.path(), FsPath.parent(real), false);
      if (r.isPresent()) {
        String target = r.get().finalPath();
        found.putIfAbsent(target, new Found(s.name(), r.get(), real, s.line(), true));
        collect(target, depth + 1, unit, found);
      }
    }
  }

  private Optional<ScriptAnalysis> analyse(String real) {
    return analyses.computeIfAbsent(real, this::read);
  }

  private Optional<ScriptAnalysis> read(String real) {
    Optional<FsNode.RegularFile> file = fs.file(real);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    if (file.get().size() > MAX_SCRIPT_BYTES) {
      skipped.add(
          new Skipped(
              real, "larger than the script limit of " + MAX_SCRIPT_BYTES + " bytes", true));
      return Optional.empty();
    }
    if (bytesRead + file.get().size() > MAX_TOTAL_SCRIPT_BYTES) {
      skipped.add(
          new Skipped(
              real,
              "the scripts read reach the limit of " + MAX_TOTAL_SCRIPT_BYTES + " bytes in all",
              true));
      return Optional.empty();
    }
    bytesRead += file.get().size();
    String text;
    try {
      ByteBuffer b = file.get().content().read(MAX_SCRIPT_BYTES);
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      for (byte x : bytes) {
        if (x == 0) {
          skipped.add(new Skipped(real, "has a NUL byte: not a shell script", false));
          return Optional.empty();
        }
      }
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      skipped.add(new Skipped(real, "cannot read: " + e.getMessage(), true));
      return Optional.empty();
    }
    try {
      ScriptAnalysis a = ScriptAnalysis.of(text);
      noteDynamic(real, a);
      return Optional.of(a);
    } catch (ShellBudgetException e) {
      skipped.add(new Skipped(real, e.getMessage(), true));
      return Optional.empty();
    }
  }

  private void noteDynamic(String where, ScriptAnalysis a) {
    a.dynamic().stream().limit(20).forEach(d -> dynamic.add(where + ": " + d));
    a.problems().forEach(p -> skipped.add(new Skipped(where, "not valid shell: " + p, false)));
  }

  /**
   * A command (executable) or sourced file (readable) as the shell finds it: a name with '/' as is
   * (relative ones from the script's directory), a bare name on the script's PATH, the image's PATH
   * and last the script's directory.
   */
  private Optional<Resolution> lookUp(
      String name, List<String> scriptPath, Optional<String> dir, boolean executable) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    List<String> candidates = new ArrayList<>();
    if (name.contains("/")) {
      if (name.startsWith("/")) {
        candidates.add(name);
      } else {
        dir.ifPresent(d -> candidates.add(FsPath.resolve(d, name)));
      }
    } else {
      LinkedHashSet<String> dirs = new LinkedHashSet<>();
      for (String d : scriptPath) {
        if (d.equals(ScriptAnalysis.INHERITED_PATH)) {
          dirs.addAll(imagePath);
        } else {
          dirs.add(d);
        }
      }
      dirs.addAll(imagePath);
      dir.ifPresent(dirs::add);
      for (String d : dirs) {
        if (d.startsWith("/")) {
          candidates.add(FsPath.resolve(d, name));
        }
      }
    }
    for (String candidate : candidates) {
      Resolution r = fs.resolve(FsPath.normalize(candidate));
      if (!r.found()) {
        continue;
      }
      FsNode node = r.node().orElseThrow();
      if (fs.regularFile(node).isPresent() && (!executable || (node.meta().mode() & 0111) != 0)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Whether the file's {@code #!} line names a shell this analysis understands. */
  boolean isShellScript(String real) {
    Optional<FsNode.RegularFile> file = fs.file(real);
    if (file.isEmpty()) {
      return false;
    }
    ByteBuffer head;
    try {
      head = file.get().content().read(2 + SHEBANG_MAX);
    } catch (IOException e) {
      return false;
    }
    return isShellShebang(head);
  }

  /** {@code #!/bin/sh}, {@code #!/usr/bin/env bash}, {@code #!/bin/busybox sh} and the like. */
  static boolean isShellShebang(ByteBuffer head) {
    if (head.limit() < 3 || head.get(0) != '#' || head.get(1) != '!') {
      return false;
    }
    StringBuilder line = new StringBuilder();
    for (int k = 2; k < head.limit() && head.get(k) != '\n' && head.get(k) != 0; k++) {
      line.append((char) (head.get(k) & 0xFF));
    }
    String[] words = line.toString().strip().split("[ \t]+");
    if (words.length == 0 || words[0].isEmpty()) {
      return false;
    }
    String interpreter = FsPath.name(words[0]);
    int next = 1;
    if (interpreter.equals("env")) {
      while (next < words.length && (words[next].startsWith("-") || words[next].contains("="))) {
        next++;
      }
      if (next >= words.length) {
        return false;
      }
      interpreter = FsPath.name(words[next]);
      next++;
    }
    if (interpreter.equals("busybox")) {
      return next < words.length && words[next].equals("sh");
    }
    return ShellGrammar.SHELLS.contains(interpreter);
  }
}
