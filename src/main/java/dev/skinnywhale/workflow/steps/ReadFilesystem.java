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
 * HelperFilesystem}: its index once, content in batches as the steps ask), else exported whole from
 * the engine, or an image's layers flattened (never extracted). The export is the default: {@code
 * SKINNYWHALE_FS_READ=helper} picks the helper: faster on an idle machine (bench/after.txt), but it
 * sees the engine's placeholders at mount points, not the image's own metadata there, so its bytes
 * are not yet the export's nor reproducible for those entries. The caller closes it (that deletes
 * its spool file and removes the helper).
 */
public record ReadFilesystem(Run run, Mode mode) {
  /** The environment variable that picks the way; {@code export} (default) or {@code helper}. */
  public static final String ENV = "SKINNYWHALE_FS_READ";

  /** How a filesystem in the engine is read. */
  public enum Mode {
    HELPER,
    EXPORT;

    /** From the environment; anything but "helper" is the default, the export. */
    public static Mode fromEnv(Map<String, String> env) {
      return "helper".equals(env.getOrDefault(ENV, "")) ? HELPER : EXPORT;
    }
  }

  public ReadFilesystem(Run run) {
    this(run, Mode.EXPORT);
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
    Optional<String> helperImage =
        mode == Mode.HELPER
            ? image.or(
                () ->
                    source.kind() == Source.Kind.IMAGE
                        ? Optional.of(source.imageId())
                        : Optional.empty())
            : Optional.empty();
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
