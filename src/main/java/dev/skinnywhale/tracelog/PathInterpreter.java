package dev.skinnywhale.tracelog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Layer 3: calls to path accesses. Knows, per syscall name, where the dirfd, path and flags
 * arguments are, and for two-path calls (rename*, link*) the second dirfd and path. Relative paths
 * are resolved against the {@code -y} annotation of the dirfd, or of AT_FDCWD, or else the pid's
 * working directory as far as the log shows it (AT_FDCWD annotations, chdir, fchdir, inherited
 * through clone/fork/vfork). A relative path whose base is unknown is skipped rather than guessed.
 * Other syscalls are counted as unknown. One instance per log.
 */
final class PathInterpreter {

  private enum Op {
    OPEN,
    CREAT,
    EXEC,
    STAT,
    READLINK,
    CHDIR,
    FCHDIR,
    SPAWN,
    /** mkdir*, mknod*, symlink*: the path is made. */
    MAKE,
    /** unlink*, rmdir: the path is removed. */
    REMOVE,
    /** rename*: the first path moves to the second (with RENAME_EXCHANGE, each to the other). */
    RENAME,
    /** link*: the first path, which must exist, gets the second as a new name. */
    LINK
  }

  /**
   * Argument positions; -1: absent. {@code dirfd2} and {@code path2}: the second pair of a two-path
   * call, each path resolved against its own dirfd.
   */
  private record Rule(Op op, int dirfd, int path, int flags, int dirfd2, int path2) {
    Rule(Op op, int dirfd, int path, int flags) {
      this(op, dirfd, path, flags, -1, -1);
    }
  }

  private static final Map<String, Rule> RULES =
      Map.ofEntries(
          Map.entry("open", new Rule(Op.OPEN, -1, 0, 1)),
          Map.entry("openat", new Rule(Op.OPEN, 0, 1, 2)),
          Map.entry("openat2", new Rule(Op.OPEN, 0, 1, 2)),
          Map.entry("creat", new Rule(Op.CREAT, -1, 0, -1)),
          Map.entry("execve", new Rule(Op.EXEC, -1, 0, -1)),
          Map.entry("execveat", new Rule(Op.EXEC, 0, 1, 4)),
          Map.entry("stat", new Rule(Op.STAT, -1, 0, -1)),
          Map.entry("lstat", new Rule(Op.STAT, -1, 0, -1)),
          Map.entry("stat64", new Rule(Op.STAT, -1, 0, -1)),
          Map.entry("lstat64", new Rule(Op.STAT, -1, 0, -1)),
          Map.entry("newfstatat", new Rule(Op.STAT, 0, 1, -1)),
          Map.entry("fstatat64", new Rule(Op.STAT, 0, 1, -1)),
          Map.entry("statx", new Rule(Op.STAT, 0, 1, -1)),
          Map.entry("access", new Rule(Op.STAT, -1, 0, -1)),
          Map.entry("faccessat", new Rule(Op.STAT, 0, 1, -1)),
          Map.entry("faccessat2", new Rule(Op.STAT, 0, 1, -1)),
          Map.entry("readlink", new Rule(Op.READLINK, -1, 0, -1)),
          Map.entry("readlinkat", new Rule(Op.READLINK, 0, 1, -1)),
          Map.entry("chdir", new Rule(Op.CHDIR, -1, 0, -1)),
          Map.entry("fchdir", new Rule(Op.FCHDIR, 0, -1, -1)),
          Map.entry("mkdir", new Rule(Op.MAKE, -1, 0, -1)),
          Map.entry("mkdirat", new Rule(Op.MAKE, 0, 1, -1)),
          Map.entry("mknod", new Rule(Op.MAKE, -1, 0, -1)),
          Map.entry("mknodat", new Rule(Op.MAKE, 0, 1, -1)),
          // argument 0 of symlink(at) is the link's target text, not a path the call touches
          Map.entry("symlink", new Rule(Op.MAKE, -1, 1, -1)),
          Map.entry("symlinkat", new Rule(Op.MAKE, 1, 2, -1)),
          Map.entry("unlink", new Rule(Op.REMOVE, -1, 0, -1)),
          Map.entry("unlinkat", new Rule(Op.REMOVE, 0, 1, -1)),
          Map.entry("rmdir", new Rule(Op.REMOVE, -1, 0, -1)),
          Map.entry("rename", new Rule(Op.RENAME, -1, 0, -1, -1, 1)),
          Map.entry("renameat", new Rule(Op.RENAME, 0, 1, -1, 2, 3)),
          Map.entry("renameat2", new Rule(Op.RENAME, 0, 1, 4, 2, 3)),
          Map.entry("link", new Rule(Op.LINK, -1, 0, -1, -1, 1)),
          Map.entry("linkat", new Rule(Op.LINK, 0, 1, -1, 2, 3)),
          Map.entry("clone", new Rule(Op.SPAWN, -1, -1, -1)),
          Map.entry("clone3", new Rule(Op.SPAWN, -1, -1, -1)),
          Map.entry("fork", new Rule(Op.SPAWN, -1, -1, -1)),
          Map.entry("vfork", new Rule(Op.SPAWN, -1, -1, -1)));

  private static final Set<String> WRITE_FLAGS =
      Set.of("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_TMPFILE");

  /** O_WRONLY, O_RDWR, O_CREAT, O_TRUNC: the same on every Linux architecture. */
  private static final long WRITE_BITS = 01 | 02 | 0100 | 01000;

  /** RENAME_EXCHANGE of renameat2 (include/uapi/linux/fs.h). */
  private static final long RENAME_EXCHANGE_BIT = 2;

  private final AccessSetBuilder out;
  private final Map<Integer, String> cwd = new HashMap<>();

  PathInterpreter(AccessSetBuilder out) {
    this.out = out;
  }

  void accept(TraceLine line) {
    if (line instanceof TraceLine.Event e) {
      if (e.isExit()) {
        cwd.remove(e.pid());
      }
      return;
    }
    if (!(line instanceof TraceLine.Call call)) {
      return;
    }
    List<String> args = call.args();
    if (!args.isEmpty()) {
      // every AT_FDCWD</dir> tells the process's working directory
      Fd first = Fd.parse(args.get(0));
      if (first.atFdcwd() && first.annotation().isPresent()) {
        cwd.put(call.pid(), first.annotation().get());
      }
    }
    Rule rule = RULES.get(call.name());
    if (rule == null) {
      out.countUnknown(call.name());
      return;
    }
    switch (rule.op()) {
      case SPAWN -> spawn(call);
      case FCHDIR -> fchdir(call);
      default -> pathCall(call, rule);
    }
  }

  private void spawn(TraceLine.Call call) {
    TraceLine.Result r = call.result();
    if (!r.success() || r.value().startsWith("0x")) {
      return;
    }
    Optional<Integer> child = parseInt(r.value());
    String parentCwd = cwd.get(call.pid());
    if (child.isPresent() && parentCwd != null) {
      cwd.putIfAbsent(child.get(), parentCwd);
    }
  }

  private void fchdir(TraceLine.Call call) {
    if (call.args().isEmpty()) {
      return;
    }
    Optional<String> dir = Fd.parse(call.args().get(0)).annotation().filter(a -> a.startsWith("/"));
    if (dir.isEmpty()) {
      return;
    }
    String path = PathNames.normalize(dir.get());
    boolean ok = call.result().success();
    out.add(path, AccessKind.CHDIR, ok, call.pid());
    if (ok) {
      cwd.put(call.pid(), path);
    }
  }

  private void pathCall(TraceLine.Call call, Rule rule) {
    List<String> args = call.args();
    boolean ok = call.result().success();
    Optional<String> first = resolve(call, rule.op(), rule.dirfd(), rule.path());
    if (first.isPresent()) {
      AccessKind kind = kind(rule, args);
      out.add(first.get(), kind, ok, call.pid());
      if (ok && (rule.op() == Op.OPEN || rule.op() == Op.CREAT)) {
        call.result()
            .annotation()
            .map(PathInterpreter::stripDeleted)
            .filter(a -> a.startsWith("/"))
            .ifPresent(
                finalPath -> out.add(PathNames.normalize(finalPath), kind, true, call.pid()));
      }
      if (ok && rule.op() == Op.CHDIR) {
        cwd.put(call.pid(), first.get());
      }
    }
    if (rule.path2() >= 0) {
      resolve(call, rule.op(), rule.dirfd2(), rule.path2())
          .ifPresent(second -> out.add(second, secondKind(rule, args), ok, call.pid()));
    }
  }

  /**
   * The absolute path of the path argument at {@code pathIndex}, relative to the dirfd at {@code
   * dirfdIndex} (-1: none) or the cwd; empty when there is no usable path.
   */
  private Optional<String> resolve(TraceLine.Call call, Op op, int dirfdIndex, int pathIndex) {
    List<String> args = call.args();
    if (pathIndex < 0 || pathIndex >= args.size()) {
      return Optional.empty();
    }
    Optional<StraceString> requested = StraceString.parse(args.get(pathIndex));
    if (requested.isEmpty() || requested.get().truncated()) {
      return Optional.empty(); // a pointer strace could not read, or a cut string: no path
    }
    String path = requested.get().value();
    Optional<Fd> dirfd =
        dirfdIndex >= 0 && dirfdIndex < args.size()
            ? Optional.of(Fd.parse(args.get(dirfdIndex)))
            : Optional.empty();
    if (path.isEmpty()) {
      // "" with AT_EMPTY_PATH: the call is about the descriptor itself (fstat, fexecve, linkat)
      if (op != Op.EXEC || dirfd.isEmpty()) {
        return Optional.empty();
      }
      return dirfd.get().annotation().filter(a -> a.startsWith("/")).map(PathNames::normalize);
    }
    Optional<String> base;
    if (dirfd.isPresent() && !dirfd.get().atFdcwd()) {
      base = dirfd.get().annotation();
    } else if (dirfd.isPresent() && dirfd.get().annotation().isPresent()) {
      base = dirfd.get().annotation();
    } else {
      base = Optional.ofNullable(cwd.get(call.pid()));
    }
    return PathNames.resolve(base, path);
  }

  private static AccessKind kind(Rule rule, List<String> args) {
    return switch (rule.op()) {
      case OPEN -> openKind(rule.flags() < args.size() ? args.get(rule.flags()) : "");
      case CREAT -> AccessKind.OPEN_WRITE;
      case EXEC -> AccessKind.EXEC;
      case STAT, LINK -> AccessKind.STAT;
      case READLINK -> AccessKind.READLINK;
      case CHDIR, FCHDIR -> AccessKind.CHDIR;
      case MAKE -> AccessKind.CREATE;
      case REMOVE, RENAME -> AccessKind.REMOVE;
      case SPAWN -> throw new IllegalStateException("no path for spawn");
    };
  }

  /** The kind of the second path of a two-path call. */
  private static AccessKind secondKind(Rule rule, List<String> args) {
    if (rule.op() == Op.RENAME
        && rule.flags() >= 0
        && rule.flags() < args.size()
        && renameExchanges(args.get(rule.flags()))) {
      return AccessKind.REMOVE; // both existed; each one's content moved away to the other
    }
    return AccessKind.CREATE;
  }

  /** renameat2 flags as strace prints them: RENAME_NOREPLACE|RENAME_EXCHANGE, 0, 0x2. */
  static boolean renameExchanges(String flagsArg) {
    for (String f : flagsArg.split("\\|")) {
      String flag = f.strip();
      if (flag.equals("RENAME_EXCHANGE")
          || (!flag.isEmpty()
              && Character.isDigit(flag.charAt(0))
              && (parseFlagNumber(flag) & RENAME_EXCHANGE_BIT) != 0)) {
        return true;
      }
    }
    return false;
  }

  /** Open flags as strace prints them: O_RDONLY|O_CLOEXEC, 0x241, or openat2's {flags=...}. */
  static AccessKind openKind(String flagsArg) {
    String flags = flagsArg;
    if (flags.startsWith("{flags=")) {
      int end = flags.indexOf(',');
      flags = flags.substring("{flags=".length(), end < 0 ? Math.max(flags.length() - 1, 7) : end);
    }
    boolean write = false;
    boolean directory = false;
    boolean pathOnly = false;
    for (String f : flags.split("\\|")) {
      String flag = f.strip();
      if (WRITE_FLAGS.contains(flag)) {
        write = true;
      } else if (flag.equals("O_DIRECTORY")) {
        directory = true;
      } else if (flag.equals("O_PATH")) {
        pathOnly = true;
      } else if (!flag.isEmpty() && Character.isDigit(flag.charAt(0))) {
        write |= (parseFlagNumber(flag) & WRITE_BITS) != 0;
      }
    }
    if (write) {
      return AccessKind.OPEN_WRITE;
    }
    if (pathOnly) {
      return AccessKind.STAT;
    }
    return directory ? AccessKind.LIST_DIR : AccessKind.OPEN_READ;
  }

  private static long parseFlagNumber(String s) {
    try {
      if (s.startsWith("0x")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.startsWith("0")) {
        return Long.parseUnsignedLong(s.substring(1), 8);
      }
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Integer> parseInt(String s) {
    try {
      return Optional.of(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String stripDeleted(String path) {
    return path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
  }

  /** A quoted string argument: its decoded value, and whether strace cut it ({@code "..."...}). */
  record StraceString(String value, boolean truncated) {
    static Optional<StraceString> parse(String arg) {
      if (arg.length() < 2 || arg.charAt(0) != '"') {
        return Optional.empty();
      }
      int end = StraceLexer.skipString(arg, 0);
      boolean truncated =
          arg.startsWith("...", end - 3) && end - 3 > 0 && arg.charAt(end - 4) == '"';
      int close = truncated ? end - 4 : end - 1;
      if (end != arg.length()) {
        return Optional.empty();
      }
      return Optional.of(new StraceString(StraceLexer.unescape(arg, 1, close), truncated));
    }
  }

  /** A descriptor argument: {@code AT_FDCWD}, a number, each with an optional annotation. */
  record Fd(boolean atFdcwd, Optional<String> annotation) {
    static Fd parse(String arg) {
      int lt = arg.indexOf('<');
      String head = lt < 0 ? arg : arg.substring(0, lt);
      boolean cwd = head.equals("AT_FDCWD");
      if (lt < 0 || !arg.endsWith(">") || !(cwd || isNumber(head))) {
        return new Fd(cwd, Optional.empty());
      }
      int end = StraceLexer.skipAnnotation(arg, lt);
      if (end != arg.length()) {
        return new Fd(cwd, Optional.empty());
      }
      return new Fd(cwd, Optional.of(StraceLexer.unescape(arg, lt + 1, end - 1)));
    }

    private static boolean isNumber(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
        if (!Character.isDigit(s.charAt(i))) {
          return false;
        }
      }
      return s.length() > (s.charAt(0) == '-' ? 1 : 0);
    }
  }
}
