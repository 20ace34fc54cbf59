package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.rootfs.BytesBlob;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.tar.TarEntry;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.tar.TarStreamReader;
import dev.skinnywhale.workflow.run.Parallel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an export shows at the places the engine mounts something over when it starts a container
 * ({@code /dev}, {@code /proc}, {@code /sys} with all they hold, and the name files of {@code
 * /etc}): read through the engine's archive call from a container that is created but not yet
 * started, so that it is the image's content there with the engine's init layer, as {@code docker
 * export} writes it, not the mounts a running container sees.
 */
final class MountPoints {
  /** Where the engine mounts something in every container it starts. */
  static final List<String> PATHS =
      List.of("/dev", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/proc", "/sys");

  /** The most bytes of content kept in memory for all of them (device nodes and a few names). */
  static final long MAX_BYTES = 16L << 20;

  /** The most entries accepted below them. */
  static final int MAX_ENTRIES = 100_000;

  private MountPoints() {}

  /** Whether {@code path} is one of {@link #PATHS} or lies below one. */
  static boolean covers(String path) {
    return PATHS.stream().anyMatch(p -> FsPath.isUnder(path, p));
  }

  /**
   * What the created containers show.
   *
   * @param nodes the nodes at and below {@link #PATHS}
   * @param has whether there is an entry at the path asked about besides them
   */
  record Read(List<FsNode> nodes, boolean has) {}

  /**
   * The nodes at and below {@link #PATHS} in created containers {@code ids} of one image, and
   * whether they have an entry at {@code also}: each path asked for in a call of its own, side by
   * side (they only wait for the engine), the paths dealt out over the containers in turn, since
   * the engine takes one container's archive calls one at a time (each mounts and unmounts its
   * filesystem: about 0.1 s on a 2-core machine). Empty when the containers have more content there
   * than the budgets allow (the caller exports instead).
   */
  static Optional<Read> read(DockerEngine engine, List<String> ids, String also)
      throws IOException {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no container to read from");
    }
    List<Parallel.Task<Optional<List<FsNode>>>> tasks = new ArrayList<>();
    Budget budget = new Budget();
    for (int i = 0; i < PATHS.size(); i++) {
      String path = PATHS.get(i);
      String id = ids.get(i % ids.size());
      tasks.add(() -> readOne(engine, id, path, budget));
    }
    // the last container: the first reads /dev, the largest
    String last = ids.get(ids.size() - 1);
    java.util.concurrent.atomic.AtomicBoolean has = new java.util.concurrent.atomic.AtomicBoolean();
    tasks.add(
        () -> {
          has.set(entry(engine, last, also).isPresent());
          return Optional.of(List.of());
        });
    List<FsNode> out = new ArrayList<>();
    for (Optional<List<FsNode>> one : new Parallel(tasks.size()).map(tasks, i -> {})) {
      if (one.isEmpty()) {
        return Optional.empty();
      }
      out.addAll(one.get());
    }
    return Optional.of(new Read(out, has.get()));
  }

  /** What all the paths' archives may hold together, taken from as they are read. */
  private static final class Budget {
    private final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger entries =
        new java.util.concurrent.atomic.AtomicInteger();

    /** Takes one entry of {@code size} bytes; false when that is past the budgets. */
    boolean take(long size) {
      return entries.incrementAndGet() <= MAX_ENTRIES && bytes.addAndGet(size) <= MAX_BYTES;
    }
  }

  /** The nodes at and below {@code path}; empty when over the budgets. */
  private static Optional<List<FsNode>> readOne(
      DockerEngine engine, String id, String path, Budget budget) throws IOException {
    List<FsNode> out = new ArrayList<>();
    InputStream archive;
    try {
      archive = engine.copyOut(id, path);
    } catch (EngineException e) {
      if (e.is(EngineException.Kind.NOT_FOUND)) {
        return Optional.of(out); // the image has no such entry and the engine made none
      }
      throw e;
    }
    String parent = FsPath.parent(path).orElse(FsPath.ROOT);
    try (TarStreamReader tar = new TarStreamReader(archive)) {
      for (Optional<TarEntry> e = tar.next(); e.isPresent(); e = tar.next()) {
        TarEntry entry = rebased(e.get(), parent);
        if (!FsPath.isUnder(entry.path(), path)) {
          throw new IOException("the engine's archive of " + path + " holds " + entry.path());
        }
        if (!budget.take(entry.size())) {
          return Optional.empty();
        }
        byte[] content = entry.type() == TarEntry.Type.FILE ? tar.content().readAllBytes() : null;
        out.add(TarRootFsReader.node(entry, content == null ? null : new BytesBlob(content)));
      }
    }
    return Optional.of(out);
  }

  /**
   * The entry at {@code path} itself (not what it holds) in container {@code id}, as the engine's
   * archive call names it: only its first header is read.
   */
  static Optional<TarEntry> entry(DockerEngine engine, String id, String path) throws IOException {
    InputStream archive;
    try {
      archive = engine.copyOut(id, path);
    } catch (EngineException e) {
      if (e.is(EngineException.Kind.NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
    try (TarStreamReader tar = new TarStreamReader(archive)) {
      return tar.next().map(e -> rebased(e, FsPath.parent(path).orElse(FsPath.ROOT)));
    }
  }

  /**
   * {@code e} (named as the archive names it: from the copied path's own name) below {@code
   * parent}.
   */
  private static TarEntry rebased(TarEntry e, String parent) {
    String link =
        e.type() == TarEntry.Type.HARD_LINK
            ? FsPath.resolve(parent, e.link().substring(1))
            : e.link();
    return new TarEntry(
        FsPath.resolve(parent, e.path().substring(1)),
        e.type(),
        e.size(),
        e.meta(),
        link,
        e.devMajor(),
        e.devMinor());
  }
}
