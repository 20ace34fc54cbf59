package dev.skinnywhale.workflow.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skinnywhale.assemble.AssemblyPlan;
import dev.skinnywhale.assemble.KeepPlan;
import dev.skinnywhale.assemble.LayerBuilder;
import dev.skinnywhale.assemble.PlanExpander;
import dev.skinnywhale.assemble.Rewrites;
import dev.skinnywhale.image.DockerArchiveWriter;
import dev.skinnywhale.image.ImageConfigs;
import dev.skinnywhale.image.Layer;
import dev.skinnywhale.image.WriterStream;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Reporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.StepRunner;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last steps of every build: keep-plan → expanded plan → rewrites (files given new content
 * between expansion and the layer, such as the pruned package database) → layer → archive → load,
 * or written outside the engine ({@link WriteImage}).
 */
public record MakeImage(Run run) {
  /**
   * What went into the image.
   *
   * @param plan exactly what went into the layer and why
   * @param slimSize bytes of the loaded image (the layer's size when written elsewhere)
   * @param digest the manifest digest of an image written outside the engine
   * @param engineImage what names the slim image in the engine: its tag when loaded, its id when
   *     loaded only for verification, "" when not in the engine
   */
  public record Made(
      AssemblyPlan plan, long slimSize, Optional<String> digest, String engineImage) {}

  public Made make(RootFs fs, KeepPlan plan, Source source, Destination destination)
      throws IOException {
    return make(
        fs, plan, source, destination, dev.skinnywhale.image.Compression.GZIP, false, List.of());
  }

  /**
   * @param compression of the layer written outside the engine
   * @param loadForVerify also load an image written elsewhere into the engine, untagged and removed
   *     when the run ends, so it can be verified there
   * @param rewriters applied in turn to the expanded plan (files given new content, or dropped)
   */
  public Made make(
      RootFs fs,
      KeepPlan plan,
      Source source,
      Destination destination,
      dev.skinnywhale.image.Compression compression,
      boolean loadForVerify,
      List<Rewrites.Rewriter> rewriters)
      throws IOException {
    Reporter reporter = run.reporter();
    String tag = destination.tag();
    Optional<dev.skinnywhale.image.ImageReference> output = destination.output();
    Path tempDir = run.tempDir();
    StepRunner phases = run.steps();
    AssemblyPlan expanded = new PlanExpander().expand(fs, plan);
    expanded
        .missing()
        .forEach(m -> reporter.warn("not in the image", "not in the image, not kept: " + m));
    AssemblyPlan assembly = expanded;
    for (Rewrites.Rewriter r : rewriters) {
      assembly = assembly.rewritten(r.rewrite(fs, assembly));
    }
    AssemblyPlan toWrite = assembly;
    // a lazily read filesystem fetches every kept file in one batch, not one by one
    fs.prefetch(toWrite.nodes().stream().map(n -> n.path()).toList());
    Layer layer =
        phases.run(
            "assemble", "writing the slim layer", () -> new LayerBuilder().write(toWrite, tempDir));
    // Loaded (or written out), the layer file only holds up the next container create: the
    // engine writes back every dirty page of the disk before it makes one.
    try (layer) {
      release(fs);
      ObjectNode config =
          ImageConfigs.forSlimImage(
              source.imageConfig(),
              layer.diffId(),
              "slimmed from " + source.reference() + " by skinnywhale");
      if (output.isPresent()) {
        String digest = new WriteImage(run).write(config, layer, output.get(), tag, compression);
        String engineImage = "";
        if (loadForVerify) {
          engineImage =
              phases.run(
                  "load",
                  "loading the slim image for verification",
                  () -> loadUntagged(config, layer));
        }
        return new Made(assembly, layer.size(), Optional.of(digest), engineImage);
      }
      long size =
          phases.run(
              "load",
              "loading " + tag + " into the engine",
              () -> load(config, layer, tag, source));
      return new Made(assembly, size, Optional.empty(), tag);
    }
  }

  /**
   * Lets go of the content {@code fs} has fetched (a helper's spool, as large as the kept files):
   * nothing reads it again (what does fetches it anew), and its dirty pages would hold up the
   * verification's container create. A failure is no reason to fail the run.
   */
  private void release(RootFs fs) {
    try {
      fs.release();
    } catch (IOException | RuntimeException e) {
      run.reporter().debug("the filesystem's content could not be let go of: " + e.getMessage());
    }
  }

  /** Loads the slim image without a tag; removed when the run ends unless the engine had it. */
  private String loadUntagged(ObjectNode config, Layer layer) throws IOException {
    String id = dev.skinnywhale.image.Digests.of(run.images().json().bytes(config));
    if (run.engine().findImage(id).isPresent()) {
      return id;
    }
    run.cleanup().add("temporary image " + id, () -> run.engine().removeImage(id));
    loadArchive(config, layer, List.of());
    return id;
  }

  /**
   * Loads the archive of the slim image as it is written, through a pipe: no copy of the layer is
   * spooled to disk (for a JRE's 180 MB layer, a second 180 MB the disk has to write back while the
   * engine writes its own), and the layer's digest is left to the engine to check.
   */
  private void loadArchive(ObjectNode config, Layer layer, List<String> tags) throws IOException {
    try (InputStream in =
        WriterStream.start(
            "skinnywhale-archive",
            out -> {
              try (OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
                new DockerArchiveWriter().write(buffered, config, layer, tags, false);
              }
            })) {
      run.engine().load(in);
    }
  }

  private long load(ObjectNode config, Layer layer, String tag, Source source) throws IOException {
    var existing = run.engine().findImage(tag);
    if (existing.isPresent() && existing.get().id().equals(source.imageId())) {
      throw new UnusableInputException(
          "the tag " + tag + " names the source image itself; choose another --tag");
    }
    existing.ifPresent(
        old ->
            run.reporter()
                .info(
                    "the tag "
                        + tag
                        + " moves to the new image (it named "
                        + old.shortId()
                        + " before)"));
    loadArchive(config, layer, List.of(tag));
    return run.engine().findImage(tag).map(i -> i.size()).orElse(layer.size());
  }
}
