package dev.skinnywhale.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.LayerBuilder;
import dev.skinnywhale.assemble.PlanExpander;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.image.DockerArchiveWriter;
import dev.skinnywhale.image.ImageConfigs;
import dev.skinnywhale.image.Layer;
import dev.skinnywhale.rootfs.RootFs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** The last steps of every build: keep-plan → layer → archive → load (or a file). */
final class ImageMaker {
  record Made(AssemblyPlan plan, long slimSize) {}

  private final DockerEngine engine;
  private final Reporter reporter;
  private final Cleanup cleanup;

  ImageMaker(DockerEngine engine, Reporter reporter, Cleanup cleanup) {
    this.engine = engine;
    this.reporter = reporter;
    this.cleanup = cleanup;
  }

  Made make(
      RootFs fs,
      KeepPlan plan,
      Source source,
      String tag,
      Optional<Path> output,
      Path tempDir,
      Phases phases)
      throws IOException {
    AssemblyPlan assembly = new PlanExpander().expand(fs, plan);
    assembly.missing().forEach(m -> reporter.warn("not in the image, not kept: " + m));
    Layer layer =
        phases.run(
            "assemble",
            "writing the slim layer",
            () -> new LayerBuilder().write(assembly, tempDir));
    ObjectNode config =
        ImageConfigs.forSlimImage(
            source.imageConfig(),
            layer.diffId(),
            "slimmed from " + source.reference() + " by skinnywhale");
    if (output.isPresent()) {
      phases.run(
          "assemble",
          "writing " + output.get(),
          () -> {
            writeArchiveAtomically(output.get(), config, layer, tag);
            return null;
          });
      return new Made(assembly, layer.size());
    }
    Path archive = tempDir.resolve("image.tar");
    phases.run(
        "assemble",
        "writing the image archive",
        () -> {
          writeArchive(archive, config, layer, tag);
          return null;
        });
    long size =
        phases.run(
            "load", "loading " + tag + " into the engine", () -> load(archive, tag, source, layer));
    Files.deleteIfExists(archive);
    return new Made(assembly, size);
  }

  private static void writeArchive(Path file, ObjectNode config, Layer layer, String tag)
      throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      new DockerArchiveWriter().write(out, config, layer, List.of(tag));
    }
  }

  /** Writes next to the destination and moves into place, so a failure leaves no half file. */
  private void writeArchiveAtomically(Path destination, ObjectNode config, Layer layer, String tag)
      throws IOException {
    Path dest = destination.toAbsolutePath();
    Path partial = TempFiles.partialFileFor(dest);
    Runnable removePartial =
        cleanup.add("partial file " + partial, () -> Files.deleteIfExists(partial));
    try {
      writeArchive(partial, config, layer, tag);
      Files.move(
          partial, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      removePartial.run();
    }
  }

  private long load(Path archive, String tag, Source source, Layer layer) throws IOException {
    var existing = engine.findImage(tag);
    if (existing.isPresent() && existing.get().id().equals(source.imageId())) {
      throw new UnusableInputException(
          "the tag " + tag + " names the source image itself; choose another --tag");
    }
    existing.ifPresent(
        old ->
            reporter.info(
                "the tag "
                    + tag
                    + " moves to the new image (it named "
                    + old.shortId()
                    + " before)"));
    try (InputStream in = Files.newInputStream(archive)) {
      engine.load(in);
    }
    return engine.findImage(tag).map(i -> i.size()).orElse(layer.size());
  }
}
