package dev.skinnywhale.image;

import java.util.Locale;

/** Where an image lives, named as skopeo and podman name it. */
public enum Transport {
  /** The Docker (or podman) engine: a container or an image ({@code docker-daemon:REF}). */
  DOCKER_DAEMON("docker-daemon"),
  /** What {@code docker save} writes, possibly several images ({@code docker-archive:FILE}). */
  DOCKER_ARCHIVE("docker-archive"),
  /** An OCI image layout directory ({@code oci:DIR}). */
  OCI("oci"),
  /** An OCI image layout in a tar file ({@code oci-archive:FILE}). */
  OCI_ARCHIVE("oci-archive"),
  /** A registry ({@code docker://REGISTRY/NAME:TAG} or {@code @DIGEST}). */
  REGISTRY("docker");

  private final String prefix;

  Transport(String prefix) {
    this.prefix = prefix;
  }

  /** The name before the ':' ("docker" for a registry, written {@code docker://}). */
  public String prefix() {
    return prefix;
  }

  /** Whether the image is a file or directory on this machine. */
  public boolean isLocalFile() {
    return this == DOCKER_ARCHIVE || this == OCI || this == OCI_ARCHIVE;
  }

  @Override
  public String toString() {
    return prefix.toLowerCase(Locale.ROOT);
  }
}
