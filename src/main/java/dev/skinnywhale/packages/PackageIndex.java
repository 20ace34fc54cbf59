package dev.skinnywhale.packages;

import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.RootFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package database read against the filesystem it describes: for each package the paths it lists
 * that the image has, where they are (diversions and usr-merge symlinks followed), and for each
 * real path its owners. Immutable once made.
 */
public final class PackageIndex {
  /**
   * {@code dir/__pycache__/name.cpython-311.pyc} (and .opt-1/.opt-2): compiled from dir/name.py.
   */
  private static final Pattern PYCACHE =
      Pattern.compile("(.*)/__pycache__/([^/]+?)\\.[a-z]+-[0-9]+(?:\\.opt-[0-9])?\\.pyc");

  private final PackageDb db;
  private final Map<String, List<OwnedPath>> files;
  private final Map<String, List<InstalledPackage>> owners;
  private final Set<String> core;
  private final Set<String> dirs;

  private PackageIndex(
      PackageDb db,
      Map<String, List<OwnedPath>> files,
      Map<String, List<InstalledPackage>> owners,
      Set<String> core,
      Set<String> dirs) {
    this.db = db;
    this.files = files;
    this.owners = owners;
    this.core = core;
    this.dirs = dirs;
  }

  /** Maps every listed path of every package of {@code db} into {@code fs}. */
  public static PackageIndex of(PackageDb db, RootFs fs) {
    PathMapper mapper = new PathMapper(fs);
    Map<String, List<OwnedPath>> files = new LinkedHashMap<>();
    Map<String, List<InstalledPackage>> owners = new HashMap<>();
    java.util.Set<String> dirs = new java.util.HashSet<>();
    for (InstalledPackage p : db.packages()) {
      List<OwnedPath> found = new ArrayList<>();
      java.util.Set<String> parents = new java.util.HashSet<>();
      for (String listed : p.files()) {
        dev.skinnywhale.rootfs.FsPath.parent(dev.skinnywhale.rootfs.FsPath.normalize(listed))
            .ifPresent(parents::add);
      }
      for (String listed : p.files()) {
        String path = listed;
        Optional<Diversion> d = db.diversionOf(listed);
        if (d.isPresent() && d.get().appliesTo(p.name())) {
          path = d.get().to();
        }
        Optional<OwnedPath> owned = mapper.map(path);
        if (owned.isPresent()) {
          OwnedPath o = owned.get();
          boolean dir =
              o.directory()
                  || (o.node() instanceof FsNode.Symlink
                      && parents.contains(dev.skinnywhale.rootfs.FsPath.normalize(listed))
                      && fs.isDirectory(o.path()));
          found.add(new OwnedPath(listed, o.path(), o.hops(), o.node(), dir));
          if (dir) {
            dirs.add(o.path());
          } else {
            List<InstalledPackage> by = owners.computeIfAbsent(o.path(), k -> new ArrayList<>(1));
            if (!by.contains(p)) {
              by.add(p);
            }
          }
        }
      }
      files.put(p.key(), List.copyOf(found));
    }
    Map<String, List<InstalledPackage>> frozen = new HashMap<>();
    owners.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    PackageIndex partial =
        new PackageIndex(
            db,
            Collections.unmodifiableMap(files),
            Collections.unmodifiableMap(frozen),
            Set.of(),
            Collections.unmodifiableSet(dirs));
    Set<String> core = new java.util.TreeSet<>(EssentialCore.of(db));
    for (InstalledPackage p : db.packages()) {
      if (core.contains(p.key()) && partial.isDataOnly(p, fs)) {
        core.remove(p.key());
      }
    }
    return new PackageIndex(
        db, partial.files, partial.owners, Collections.unmodifiableSet(core), partial.dirs);
  }

  public PackageDb db() {
    return db;
  }

  /** The paths of {@code p} that are in the image, in the database's order. */
  public List<OwnedPath> files(InstalledPackage p) {
    return files.getOrDefault(p.key(), List.of());
  }

  /**
   * The packages that list the real path {@code path}. A Python byte-code file no package lists
   * ({@code __pycache__/x.cpython-311.pyc}, written by a postinst) belongs to the owners of the
   * source it was compiled from.
   */
  public List<InstalledPackage> owners(String path) {
    List<InstalledPackage> direct = owners.get(path);
    if (direct != null) {
      return direct;
    }
    Matcher m = PYCACHE.matcher(path);
    if (m.matches()) {
      return owners.getOrDefault(m.group(1) + "/" + m.group(2) + ".py", List.of());
    }
    return List.of();
  }

  /** Whether some package lists the real path itself (compiled byte code is not listed). */
  public boolean listed(String path) {
    return owners.containsKey(path) || dirs.contains(path);
  }

  /**
   * Whether {@code p} is of the distribution's essential core ({@link EssentialCore}): kept at file
   * level, never expanded whole. A core package of data only (tzdata, ncurses-base) is not: no
   * closure and no trace can tell which part of it a program reads next — the time zone a user
   * sets, the terminal type — so it is kept whole when any file of it is kept.
   */
  public boolean isCore(InstalledPackage p) {
    return core.contains(p.key());
  }

  /**
   * Whether {@code p} ships data only: no ELF file and no executable file among its files in {@code
   * fs} (tzdata, media-types; not libc6, not debconf's Perl programs).
   */
  public boolean isDataOnly(InstalledPackage p, RootFs fs) {
    for (OwnedPath o : files(p)) {
      if (!(o.node() instanceof FsNode.RegularFile f)) {
        continue;
      }
      if ((f.meta().mode() & 0111) != 0) {
        return false;
      }
      try {
        ByteBuffer head = f.content().read(4);
        if (head.remaining() == 4
            && head.get(0) == 0x7f
            && head.get(1) == 'E'
            && head.get(2) == 'L'
            && head.get(3) == 'F') {
          return false;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + f.path() + ": " + e.getMessage(), e);
      }
    }
    return true;
  }
}
