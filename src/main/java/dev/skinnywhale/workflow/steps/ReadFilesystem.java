package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.image.ImageReference;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the source's filesystem: lazily from a helper container of an image the engine has ({@link
 * HelperFilesystem}: its index once, content in batches as the steps ask, the same nodes and bytes
 * as an export), else exported whole from the engine, or an image's layers flattened (never
 * extracted). By default ({@link Mode#HELPER}) an image of the engine is read through the helper,
 * and so is a traced container, from a helper of its committed probe image, when a helper {@link
 * HelperFilesystem#mayRead may read} it (else it is exported beside its commit; a helper that
 * declines after the commit, as for an image, leaves an export after it); a container that is not
 * committed is exported. {@code SKINNYWHALE_FS_READ=export} exports images and containers alike.
 * The caller closes it (that deletes its spool file and removes the helper).
 */
public record ReadFilesystem(Run run, Mode mode) {
  /** The environment variable that picks the way: {@code export}, else the helper. */
  public static final String ENV = "SKINNYWHALE_FS_READ";

  /** How a filesystem in the engine is read. */
  public enum Mode {
    /** Through a helper where one may read it (a container's through its committed image). */
    HELPER,
    /** Always exported. */
    EXPORT;

    /** From the environment: "export", else {@link #HELPER}. */
    public static Mode fromEnv(Map<String, String> env) {
      return "export".equals(env.get(ENV)) ? EXPORT : HELPER;
    }
  }

  public ReadFilesystem(Run run) {
    this(run, Mode.HELPER);
  }

  /**
   * Whether a trace of {@code source}, a container of the engine, reads its filesystem through a
   * helper of its committed probe image, so commits first; else it is exported beside the commit.
   */
  public boolean readsCommit(Source source) {
    if (!source.inEngine() || source.kind() != Source.Kind.CONTAINER) {
      return false;
    }
    return mode == Mode.HELPER && new HelperFilesystem(run).mayRead(source);
  }

  public RootFs read(Source source) throws IOException {
    return read(source, Optional.empty());
  }

  /**
   * @param image an engine image with this very filesystem (an image source's own, a container's
   *     committed probe image), which a helper container can be made of; without one (a container
   *     that was not committed) the filesystem is exported
   */
  public RootFs read(Source source, Optional<String> image) throws IOException {
    if (!source.inEngine()) {
      return run.steps()
          .run(
              "read",
              "flattening the layers of " + source.reference(),
              () -> {
                RootFs fs =
                    run.images().open(ImageReference.parseInput(source.reference())).filesystem();
                SourceReader.requireUsable(fs, source.reference());
                return fs;
              });
    }
    Optional<String> ownImage =
        source.kind() == Source.Kind.IMAGE ? Optional.of(source.imageId()) : Optional.empty();
    Optional<String> helperImage =
        mode == Mode.EXPORT ? Optional.empty() : image.or(() -> ownImage);
    if (helperImage.isPresent()) {
      Optional<RootFs> lazy =
          run.steps()
              .run(
                  "index",
                  "indexing the filesystem of " + source.reference(),
                  () -> new HelperFilesystem(run).read(helperImage.get(), source));
      if (lazy.isPresent()) {
        return lazy.get();
      }
    }
    return run.steps()
        .run(
            "export",
            "reading the filesystem of " + source.reference(),
            () -> new SourceReader(run).filesystem(source, run.cleanup()));
  }
}
