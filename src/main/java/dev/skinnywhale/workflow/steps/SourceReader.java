package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.skinnywhale.docker.Change;
import dev.skinnywhale.docker.ContainerDetails;
import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.ImageDetails;
import dev.skinnywhale.image.LayerEntriesCache;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.FsPath;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.workflow.run.Cleanup;
import dev.skinnywhale.workflow.run.NotFoundException;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds the user's container or image, reads its filesystem and its change set. Reads only: the
 * user's container and image are never changed; the one temporary container it may create (to
 * export an image) is registered with the run's {@link Cleanup} before anything else happens.
 */
public final class SourceReader {

  /**
   * What the engine itself puts into every container's filesystem (mount points for the files it
   * manages at run time): never part of a change set.
   */
  public static final java.util.Set<String> ENGINE_PLACEHOLDERS =
      java.util.Set.of(
          "/.dockerenv",
          "/dev/console",
          "/etc/hostname",
          "/etc/hosts",
          "/etc/resolv.conf",
          "/etc/mtab");

  /**
   * Fields of a container's config that describe that one container (its host name, its terminal,
   * the image it was made from), not an image: left out of the slim image's config. Everything else
   * (Entrypoint, Cmd, Env, User, WorkingDir, ports, volumes, labels, healthcheck, ...) is kept as a
   * commit would keep it.
   */
  static final List<String> CONTAINER_ONLY_FIELDS =
      List.of(
          "Hostname",
          "Domainname",
          "AttachStdin",
          "AttachStdout",
          "AttachStderr",
          "Tty",
          "OpenStdin",
          "StdinOnce",
          "Image");

  private final DockerEngine engine;
  private final Reporter reporter;
  private final Path tempDir;
  private final java.util.function.Function<String, Map<String, String>> labels;
  private final LayerEntriesCache cache;

  public SourceReader(Run run) {
    this.engine = run.engine();
    this.reporter = run.reporter();
    this.tempDir = run.tempDir();
    this.labels = run::labels;
    this.cache = run.layerCache();
  }

  /** A container (id, prefix or name) if one matches, else an image; containers win a tie. */
  public Source find(String reference) {
    try {
      return findUnambiguous(reference);
    } catch (dev.skinnywhale.docker.EngineException e) {
      if (e.is(dev.skinnywhale.docker.EngineException.Kind.AMBIGUOUS)) {
        throw new NotFoundException(
            reference + " is ambiguous: several containers or images have ids starting with it");
      }
      throw e;
    }
  }

  private Source findUnambiguous(String reference) {
    Optional<ContainerDetails> container = engine.findContainer(reference);
    if (container.isPresent()) {
      ContainerDetails c = container.get();
      ImageDetails image =
          engine
              .findImage(c.imageId())
              .orElseThrow(
                  () ->
                      new UnusableInputException(
                          "the image " + c.imageId() + " of container " + reference + " is gone"));
      ObjectNode config = image.imageConfig();
      ObjectNode runtime = c.config();
      runtime.remove(CONTAINER_ONLY_FIELDS);
      config.set("config", runtime);
      if (!c.created().isEmpty()) {
        config.set("created", TextNode.valueOf(c.created()));
      }
      long size = c.sizeRootFs() > 0 ? c.sizeRootFs() : image.size();
      return new Source(
          Source.Kind.CONTAINER, c.id(), c.shortId(), reference, image.id(), config, size);
    }
    ImageDetails image =
        engine
            .findImage(reference)
            .orElseThrow(() -> new NotFoundException("no such container or image: " + reference));
    return new Source(
        Source.Kind.IMAGE,
        image.id(),
        image.shortId(),
        reference,
        image.id(),
        image.imageConfig(),
        image.size());
  }

  /** An image by reference, for --base. */
  public ImageDetails findImage(String reference) {
    return engine
        .findImage(reference)
        .orElseThrow(() -> new NotFoundException("no such image: " + reference));
  }

  /** The source's whole filesystem. The caller closes it (that deletes its spool file). */
  public RootFs filesystem(Source source, Cleanup cleanup) throws IOException {
    if (source.kind() == Source.Kind.CONTAINER) {
      java.util.Set<String> touched = EngineEntries.touched("");
      var own = ownEntries(source.imageId(), touched);
      RootFs fs = export(source.id(), source.reference());
      return withImageMeta(fs, own, touched, containerChanges(source));
    }
    return imageFilesystem(source.imageId(), source.reference(), cleanup);
  }

  /** An image's filesystem, read through a created (never started) temporary container. */
  public RootFs imageFilesystem(String imageId, String reference, Cleanup cleanup)
      throws IOException {
    String workingDir =
        engine
            .findImage(imageId)
            .map(i -> i.imageConfig().path("config").path("WorkingDir").asText(""))
            .orElse("");
    java.util.Set<String> touched = EngineEntries.touched(workingDir);
    String temp = engine.createContainer(ContainerSpec.forExport(imageId, labels.apply("export")));
    Runnable remove =
        cleanup.add("temporary container " + shortId(temp), () -> engine.removeContainer(temp));
    var own = ownEntries(imageId, touched);
    RootFs fs;
    try {
      fs = export(temp, reference);
    } finally {
      remove.run();
    }
    return withImageMeta(fs, own, touched, java.util.Set.of());
  }

  /**
   * The image's own metadata of {@code touched}: as a run before found it ({@link
   * LayerEntriesCache}), else read from its layers ({@code docker save}, headers only, content
   * skipped) in a background thread started now, beside the export or the helper's index, and kept
   * for the next run. The engine streams the whole image for it.
   */
  java.util.concurrent.FutureTask<Map<String, dev.skinnywhale.tar.TarEntry>> ownEntries(
      String imageId, java.util.Set<String> touched) {
    var known = cache.get(imageId, touched);
    var stream = new java.util.concurrent.atomic.AtomicReference<InputStream>();
    var task =
        new java.util.concurrent.FutureTask<Map<String, dev.skinnywhale.tar.TarEntry>>(
            () -> {
              if (known.isPresent()) {
                return known.get();
              }
              try (InputStream save = engine.save(imageId)) {
                stream.set(save);
                if (Thread.currentThread().isInterrupted()) {
                  throw new java.io.InterruptedIOException("the image's metadata is not wanted");
                }
                var found =
                    new dev.skinnywhale.image.LayerEntries(
                            new dev.skinnywhale.image.ManifestJson(
                                new com.fasterxml.jackson.databind.ObjectMapper()))
                        .find(save, touched, imageId);
                cache.put(imageId, touched, found);
                return found;
              }
            }) {
          /** Also stops the engine's stream: a reader that gave up leaves no save running. */
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            InputStream s = stream.get();
            if (s != null) {
              try {
                s.close();
              } catch (IOException | RuntimeException e) {
                // the thread ends on its own
              }
            }
            return cancelled;
          }
        };
    if (known.isPresent()) {
      reporter.debug("the image's own metadata of /etc, /dev, ...: as read before");
      task.run();
      return task;
    }
    Thread reader = new Thread(task, "skinnywhale-image-metadata");
    reader.setDaemon(true); // an export that fails leaves it to end on its own
    reader.start();
    return task;
  }

  /**
   * {@code fs} (an export of a container of the image) with the entries the engine touched given
   * the image's own metadata ({@link EngineEntries}) as {@code own} reads them. When the engine
   * cannot save the image, they get the fixed mtime.
   */
  RootFs withImageMeta(
      RootFs fs,
      java.util.concurrent.Future<Map<String, dev.skinnywhale.tar.TarEntry>> own,
      java.util.Set<String> touched,
      java.util.Set<String> changes)
      throws IOException {
    boolean ok = false;
    try {
      Map<String, dev.skinnywhale.tar.TarEntry> entries = Map.of();
      try {
        entries = own.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted reading the image's metadata");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof dev.skinnywhale.docker.EngineException ee
            && !ee.is(dev.skinnywhale.docker.EngineException.Kind.INTERRUPTED)) {
          reporter.debug(
              "the image's own metadata of /etc, /dev, ...: unavailable (" + ee.getMessage() + ")");
        } else if (cause instanceof IOException io) {
          throw io;
        } else if (cause instanceof RuntimeException re) {
          throw re;
        } else {
          throw new IllegalStateException(cause);
        }
      }
      RootFs restored = EngineEntries.restore(fs, touched, entries, changes);
      ok = true;
      return restored;
    } finally {
      if (!ok) {
        fs.close();
      }
    }
  }

  private RootFs export(String containerId, String reference) throws IOException {
    reporter.debug("exporting the filesystem of " + reference);
    try (InputStream tar = engine.export(containerId)) {
      RootFs fs = new TarRootFsReader().read(tar, tempDir);
      try {
        requireUsable(fs, reference);
      } catch (UnusableInputException e) {
        fs.close();
        throw e;
      }
      return fs;
    }
  }

  /** Fails when {@code fs} has no file but the engine's placeholders. */
  public static void requireUsable(RootFs fs, String reference) {
    boolean usable =
        fs.nodes()
            .anyMatch(
                n ->
                    !(n instanceof FsNode.Directory)
                        && !(n instanceof FsNode.Special)
                        && !ENGINE_PLACEHOLDERS.contains(n.path()));
    if (!usable) {
      throw new UnusableInputException(
          reference + " has no usable filesystem (no file but the engine's placeholders)");
    }
  }

  /**
   * The paths a container added or changed versus its image (deletions carry nothing to keep). A
   * changed directory is listed alone; its changed children are listed on their own.
   */
  public SortedSet<String> containerChanges(Source source) {
    SortedSet<String> out = new TreeSet<>();
    for (String path : changedText(source)) {
      out.add(FsPath.normalize(FsPath.fromText(path)));
    }
    return out;
  }

  /**
   * The same, as the export {@code fs} names them: a name the engine reported with U+FFFD (its
   * bytes are not UTF-8) is matched to the export's bytes ({@link ChangePaths}).
   */
  public SortedSet<String> containerChanges(Source source, RootFs fs) {
    return new ChangePaths(fs).match(changedText(source));
  }

  private List<String> changedText(Source source) {
    List<String> out = new java.util.ArrayList<>();
    for (Change change : engine.diff(source.id())) {
      if (change.kind() != Change.Kind.DELETED) {
        out.add(change.path());
      }
    }
    return out;
  }

  /**
   * The paths of {@code image} that are new or differ from {@code base}: type, mode, owner, mtime,
   * size, link target or PAX headers. Content is not compared: a file rewritten with the same size
   * and mtime would be missed, which package managers do not do.
   */
  public static SortedSet<String> difference(RootFs image, RootFs base) {
    SortedSet<String> out = new TreeSet<>();
    image
        .nodes()
        .forEach(
            node -> {
              Optional<FsNode> old = base.get(node.path());
              if (ENGINE_PLACEHOLDERS.contains(node.path())) {
                return;
              }
              if (old.isEmpty() || !sameNode(node, old.get())) {
                out.add(node.path());
              }
            });
    return out;
  }

  private static boolean sameNode(FsNode a, FsNode b) {
    if (a.getClass() != b.getClass() || !a.meta().equals(b.meta())) {
      return false;
    }
    if (a instanceof FsNode.RegularFile f) {
      return f.size() == ((FsNode.RegularFile) b).size();
    }
    if (a instanceof FsNode.Symlink s) {
      return s.target().equals(((FsNode.Symlink) b).target());
    }
    if (a instanceof FsNode.HardLink h) {
      return h.target().equals(((FsNode.HardLink) b).target());
    }
    return !(a instanceof FsNode.Special) || a.equals(b);
  }

  private static String shortId(String id) {
    Objects.requireNonNull(id);
    return id.substring(0, Math.min(12, id.length()));
  }
}
