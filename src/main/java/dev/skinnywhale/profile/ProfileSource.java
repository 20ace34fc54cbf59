package dev.skinnywhale.profile;

import java.util.Objects;
import java.util.Optional;

/**
 * The image a profile was traced from.
 *
 * @param image the image id ({@code sha256:…})
 * @param reference what the user named (a tag or container name), if anything
 * @param architecture the image's architecture ({@code amd64}, {@code arm64}, …), if known
 */
public record ProfileSource(
    String image, Optional<String> reference, Optional<String> architecture) {
  public ProfileSource {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(architecture, "architecture");
    if (image.isBlank()) {
      throw new IllegalArgumentException("source image is empty");
    }
  }
}
