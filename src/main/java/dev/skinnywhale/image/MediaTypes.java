package dev.skinnywhale.image;

import java.util.Set;

/** The media types of images, OCI and Docker's. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  /** Annotation naming an image in an OCI layout's index.json. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** containerd's annotation with the full image name (what Docker 25+ writes). */
  public static final String CONTAINERD_NAME = "io.containerd.image.name";

  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

  /** Layer types we can read (compression is detected from the bytes, not trusted from here). */
  public static boolean isLayer(String mediaType) {
    return mediaType.startsWith("application/vnd.oci.image.layer.v1.tar")
        || mediaType.startsWith("application/vnd.docker.image.rootfs.diff.tar")
        || mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.v1.tar")
        || mediaType.startsWith("application/vnd.docker.image.rootfs.foreign.diff.tar");
  }
}
