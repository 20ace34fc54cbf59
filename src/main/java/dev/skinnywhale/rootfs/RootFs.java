package dev.skinnywhale.rootfs;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An image's filesystem as a value: path → node. Metadata and symlink targets are in memory; file
 * content is read on demand through each file's {@link Blob}. Symlink resolution never leaves the
 * root: an absolute target restarts at this root and ".." stops at it, as in a chroot.
 *
 * <p>Closing it releases whatever backs the blobs (for an exported filesystem, a spooled temporary
 * file).
 */
public final class RootFs implements Closeable {
  /** The most symlinks followed while resolving one path, as the kernel's limit. */
  public static final int MAX_HOPS = 40;

  /** Fetches content ahead of its reads, in one batch (a lazily read filesystem's). */
  @FunctionalInterface
  public interface Prefetcher {
    void prefetch(Collection<String> regularFiles) throws IOException;

    /** Lets go of the content fetched so far; what is read after is fetched again. */
    default void release() throws IOException {}
  }

  private final NavigableMap<String, FsNode> nodes;
  private final Closeable resource;
  private final Prefetcher prefetcher;

  private RootFs(NavigableMap<String, FsNode> nodes, Closeable resource, Prefetcher prefetcher) {
    this.nodes = Collections.unmodifiableNavigableMap(nodes);
    this.resource = resource;
    this.prefetcher = prefetcher;
  }

  /**
   * A filesystem of the given nodes; missing parent directories (and the root) are added as
   * root-owned 0755 directories. A later node for the same path replaces an earlier one.
   */
  public static RootFs of(Collection<? extends FsNode> nodes, Closeable resource) {
    return of(nodes, resource, NO_PREFETCH);
  }

  private static final Prefetcher NO_PREFETCH = files -> {};

  /**
   * Whether content is fetched as it is asked for (so that {@link #prefetch} in batches pays), not
   * already at hand.
   */
  public boolean readsLazily() {
    return prefetcher != NO_PREFETCH;
  }

  /**
   * A filesystem as {@link #of(Collection, Closeable)} whose blobs are read lazily: {@link
   * #prefetch} hands the regular files asked for to {@code prefetcher} in one batch.
   */
  public static RootFs of(
      Collection<? extends FsNode> nodes, Closeable resource, Prefetcher prefetcher) {
    TreeMap<String, FsNode> map = new TreeMap<>();
    for (FsNode node : nodes) {
      map.put(node.path(), node);
    }
    List<FsNode> missing = new ArrayList<>();
    missing.add(new FsNode.Directory(FsPath.ROOT, NodeMeta.of(0755)));
    for (String path : map.keySet()) {
      for (String ancestor : FsPath.ancestors(path)) {
        if (!map.containsKey(ancestor)) {
          missing.add(new FsNode.Directory(ancestor, NodeMeta.of(0755)));
        }
      }
    }
    for (FsNode dir : missing) {
      map.putIfAbsent(dir.path(), dir);
    }
    return new RootFs(map, resource, prefetcher);
  }

  /**
   * A filesystem of {@code nodes} (this one's, some replaced) that reads blobs as this one does: it
   * shares this one's prefetcher, and closing it closes this one.
   */
  public RootFs withNodes(Collection<? extends FsNode> replacement) {
    return of(replacement, this, prefetcher);
  }

  public static RootFs of(Collection<? extends FsNode> nodes) {
    return of(nodes, () -> {});
  }

  /**
   * Asks for the content of these paths (symlinks and hard links followed; what is no regular file
   * is passed over) to be read ahead, in one batch, where content is read lazily; a no-op where it
   * is not. Reads then cost nothing more; without it, each read fetches its own file.
   */
  public void prefetch(Collection<String> paths) throws IOException {
    java.util.LinkedHashSet<String> files = new java.util.LinkedHashSet<>();
    for (String p : paths) {
      file(p).ifPresent(f -> files.add(f.path()));
    }
    if (!files.isEmpty()) {
      prefetcher.prefetch(files);
    }
  }

  /**
   * Lets go of the content a lazily read filesystem has fetched so far (its spool file), when what
   * needed it is done (the slim layer is written); a read after this fetches again. A no-op where
   * content is not read lazily.
   */
  public void release() throws IOException {
    prefetcher.release();
  }

  /** {@link #prefetch} of every regular file at or below {@code dir}. */
  public void prefetchTree(String dir) throws IOException {
    List<String> files = new ArrayList<>();
    for (FsNode n : subtree(dir)) {
      if (n instanceof FsNode.RegularFile) {
        files.add(n.path());
      }
    }
    prefetch(files);
  }

  /** The node stored at exactly this path, without following any symlink (lstat). */
  public Optional<FsNode> get(String path) {
    return Optional.ofNullable(nodes.get(FsPath.normalize(path)));
  }

  /** Every node, sorted by path. */
  public Stream<FsNode> nodes() {
    return nodes.values().stream();
  }

  public int size() {
    return nodes.size();
  }

  /**
   * The direct children of a directory path (not following symlinks), sorted. Costs a lookup per
   * child, not per node below the directory: each child's subtree is one range of the sorted map,
   * skipped whole.
   */
  public List<FsNode> children(String dir) {
    String d = FsPath.normalize(dir);
    String prefix = d.equals(FsPath.ROOT) ? "/" : d + "/";
    String end = prefix + Character.MAX_VALUE;
    List<FsNode> out = new ArrayList<>();
    String key = nodes.ceilingKey(prefix);
    while (key != null && key.compareTo(end) < 0) {
      int slash = key.indexOf('/', prefix.length());
      if (slash < 0) {
        if (!key.equals(FsPath.ROOT)) {
          out.add(nodes.get(key));
        }
        key = nodes.higherKey(key);
      } else {
        // A node deeper down (its directory's own node may be missing): skip that whole subtree.
        key = nodes.higherKey(key.substring(0, slash + 1) + Character.MAX_VALUE);
      }
    }
    return out;
  }

  /** Every node at or below {@code dir} (not following symlinks), sorted. */
  public List<FsNode> subtree(String dir) {
    String d = FsPath.normalize(dir);
    if (d.equals(FsPath.ROOT)) {
      return List.copyOf(nodes.values());
    }
    List<FsNode> out = new ArrayList<>();
    FsNode self = nodes.get(d);
    if (self != null) {
      out.add(self);
    }
    out.addAll(nodes.subMap(d + "/", true, d + "/" + Character.MAX_VALUE, false).values());
    return out;
  }

  /** Nodes whose path matches, sorted. */
  public List<FsNode> matching(Predicate<String> pathMatcher) {
    return nodes.values().stream().filter(n -> pathMatcher.test(n.path())).toList();
  }

  /**
   * Follows symlinks in every component, the last one included (stat semantics). Hard links are not
   * followed: a hard link is a file of its own.
   */
  public Resolution resolve(String path) {
    return walk(path, true);
  }

  /** Follows symlinks in every component but the last (lstat semantics). */
  public Resolution resolveNoFollow(String path) {
    return walk(path, false);
  }

  /** The regular file a resolved node stands for: itself, or the target of a hard link. */
  public Optional<FsNode.RegularFile> regularFile(FsNode node) {
    if (node instanceof FsNode.RegularFile f) {
      return Optional.of(f);
    }
    if (node instanceof FsNode.HardLink h
        && nodes.get(h.target()) instanceof FsNode.RegularFile f) {
      return Optional.of(f);
    }
    return Optional.empty();
  }

  /** Resolves {@code path} and returns the regular file it names, following hard links. */
  public Optional<FsNode.RegularFile> file(String path) {
    return resolve(path).node().flatMap(this::regularFile);
  }

  /**
   * A program as exec would find it: a name with '/' as it is, a bare name in the first directory
   * of {@code path} that has it as a regular file (hard links followed). Empty when none has.
   */
  public Optional<Resolution> findProgram(String program, List<String> path) {
    if (program.isEmpty()) {
      return Optional.empty();
    }
    List<String> candidates =
        program.contains("/")
            ? List.of(FsPath.normalize(program))
            : path.stream().map(dir -> FsPath.resolve(dir, program)).toList();
    for (String candidate : candidates) {
      Resolution r = resolve(candidate);
      if (r.found() && regularFile(r.node().orElseThrow()).isPresent()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Whether the path resolves to a directory. */
  public boolean isDirectory(String path) {
    return resolve(path).node().filter(n -> n instanceof FsNode.Directory).isPresent();
  }

  private Resolution walk(String requestedPath, boolean followLast) {
    String requested = FsPath.normalize(requestedPath);
    List<String> hops = new ArrayList<>();
    // Pending components, consumed left to right; a symlink pushes its target's components in
    // front.
    java.util.Deque<String> pending = new java.util.ArrayDeque<>(components(requested));
    String current = FsPath.ROOT;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = FsPath.parent(current).orElse(FsPath.ROOT);
        continue;
      }
      FsNode dir = nodes.get(current);
      if (!(dir instanceof FsNode.Directory)) {
        return fail(requested, current, hops, "not a directory: " + current);
      }
      String next = current.equals(FsPath.ROOT) ? "/" + part : current + "/" + part;
      FsNode node = nodes.get(next);
      if (node == null) {
        return fail(requested, next, hops, "no such file or directory: " + next);
      }
      boolean last = pending.isEmpty();
      if (node instanceof FsNode.Symlink link && (!last || followLast)) {
        if (hops.size() >= MAX_HOPS) {
          return fail(requested, next, hops, "too many levels of symbolic links: " + requested);
        }
        hops.add(next);
        List<String> target = components(link.target());
        for (int i = target.size() - 1; i >= 0; i--) {
          pending.addFirst(target.get(i));
        }
        if (link.target().startsWith("/")) {
          current = FsPath.ROOT;
        }
        continue;
      }
      current = next;
    }
    return new Resolution(
        requested, current, Optional.of(nodes.get(current)), hops, Optional.empty());
  }

  private static Resolution fail(String requested, String at, List<String> hops, String why) {
    return new Resolution(requested, at, Optional.empty(), hops, Optional.of(why));
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    resource.close();
  }
}
