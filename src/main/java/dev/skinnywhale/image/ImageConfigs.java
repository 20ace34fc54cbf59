package dev.skinnywhale.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * Translations of an image config (the engine's image-config JSON: {@code architecture}, {@code
 * os}, {@code created}, {@code config} with Entrypoint, Cmd, Env, ...). The config is kept
 * losslessly: a translation is a deep copy with only the named fields replaced, and never modifies
 * its input.
 */
public final class ImageConfigs {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private ImageConfigs() {}

  /**
   * The config of a one-layer slim image: a copy of {@code source} whose {@code rootfs} is {@code
   * {"type":"layers","diff_ids":[diffId]}} and whose {@code history} is one entry ({@code created}
   * copied from the source when it has one, {@code created_by} "skinnywhale", {@code comment}).
   * Every other field, known or not, is unchanged and keeps its position; absent fields stay
   * absent.
   *
   * @param diffIdSha256 the layer's {@code sha256:<hex>} diff id
   */
  public static ObjectNode forSlimImage(
      ObjectNode source, String diffIdSha256, String historyComment) {
    if (!DIGEST.matcher(diffIdSha256).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + diffIdSha256);
    }
    ObjectNode out = source.deepCopy();
    ObjectNode rootfs = out.objectNode();
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffIdSha256);
    out.set("rootfs", rootfs);
    ArrayNode history = out.arrayNode();
    ObjectNode entry = history.addObject();
    if (source.hasNonNull("created")) {
      entry.set("created", source.get("created").deepCopy());
    }
    entry.put("created_by", "skinnywhale");
    entry.put("comment", historyComment);
    out.set("history", history);
    return out;
  }
}
