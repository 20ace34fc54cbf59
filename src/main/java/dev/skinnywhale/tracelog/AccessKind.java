package dev.skinnywhale.tracelog;

/** How a traced program touched a path. */
public enum AccessKind {
  /** execve/execveat of the path. */
  EXEC,
  /** Opened for reading only. */
  OPEN_READ,
  /** Opened with O_WRONLY, O_RDWR, O_CREAT, O_TRUNC or O_TMPFILE, or creat(). */
  OPEN_WRITE,
  /** stat, lstat, newfstatat, statx, access, faccessat(2), or an open with O_PATH. */
  STAT,
  /** readlink/readlinkat of the path (the path is a symlink the program looked at). */
  READLINK,
  /** chdir into the path, or fchdir to a descriptor of it. */
  CHDIR,
  /** LD_DEBUG: the dynamic linker mapped (success) or tried (failure) this library file. */
  LOADED,
  /** Opened with O_DIRECTORY: the directory was listed, its entries may matter. */
  LIST_DIR,
  /**
   * The path was made: mkdir(at), mknod(at), or the new path of link(at), symlink(at) and
   * rename(at/at2). Its parent directory must exist.
   */
  CREATE,
  /**
   * The path was removed or moved away: unlink(at), rmdir, or the old path of rename(at/at2). Its
   * parent directory must exist.
   */
  REMOVE
}
