package dev.skinnywhale.assemble;

import dev.skinnywhale.image.Layer;
import dev.skinnywhale.tar.ReproducibleTarWriter;
import java.io.IOException;
import java.nio.file.Path;

/** Writes an assembly plan's nodes as one reproducible layer tar in a temporary file. */
public final class LayerBuilder {
  /** The caller owns the returned layer and deletes it with {@link Layer#close()}. */
  public Layer write(AssemblyPlan plan, Path tempDir) throws IOException {
    return Layer.write(tempDir, out -> new ReproducibleTarWriter().write(plan.nodes(), out));
  }
}
