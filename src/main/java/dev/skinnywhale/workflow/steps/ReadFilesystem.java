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
 * extracted). By default ({@link Mode#AUTO}) an image of the engine is read through the helper and
 * a container is exported (in a trace, beside its commit: a helper would have to wait for the
 * commit); {@code SKINNYWHALE_FS_READ=export} exports images too, {@code helper} also reads a
 * traced container through a helper of its committed probe image (a container that is not committed
 * is always exported). The caller closes it (that deletes its spool file and removes the helper).
 */
public record ReadFilesystem(Run run, Mode mode) {
  /** The environment variable that picks the way: {@code helper}, {@code export} or unset. */
  public static final String ENV = "SKINNYWHALE_FS_READ";

  /** How a filesystem in the engine is read. */
  public enum Mode {
    /** An image through the helper, a container exported. */
    AUTO,
    /** Through a helper, also a container's committed probe image. */
    HELPER,
    /** Always exported. */
    EXPORT;

    /** From the environment: "helper", "export", else {@link #AUTO}. */
    public static Mode fromEnv(Map<String, String> env) {
      return switch (env.getOrDefault(ENV, "")) {
        case "helper" -> HELPER;
        case "export" -> EXPORT;
        default -> AUTO;
      };
    }
  }

  public ReadFilesystem(Run run) {
    this(run, Mode.AUTO);
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
        switch (mode) {
          case HELPER -> image.or(() -> ownImage);
          case AUTO -> ownImage;
          case EXPORT -> Optional.empty();
        };
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
