package dev.skinnywhale.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code docker run} options a probe container may take (parsed by {@link RunOptionParser}):
 * none of them grants a privilege. Mounts are read-only unless asked otherwise; a bind source must
 * exist (it is never created, unlike {@code docker run -v}).
 *
 * @param addHosts {@code NAME:ADDR} entries for /etc/hosts
 * @param tmpfs tmpfs mounts given with {@code --tmpfs}
 * @param mounts bind, volume and tmpfs mounts given with {@code -v} or {@code --mount}
 * @param shmSize the size of /dev/shm in bytes
 * @param ulimits resource limits
 * @param dns name servers (with {@code --network host} only)
 */
public record RunOptions(
    List<String> addHosts,
    List<Tmpfs> tmpfs,
    List<Mount> mounts,
    Optional<Long> shmSize,
    List<Ulimit> ulimits,
    List<String> dns) {

  /** No options: a probe container as before. */
  public static final RunOptions NONE =
      new RunOptions(List.of(), List.of(), List.of(), Optional.empty(), List.of(), List.of());

  public RunOptions {
    addHosts = List.copyOf(addHosts);
    tmpfs = List.copyOf(tmpfs);
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(shmSize, "shmSize");
    ulimits = List.copyOf(ulimits);
    dns = List.copyOf(dns);
  }

  /** A {@code --tmpfs PATH[:OPTIONS]} mount. */
  public record Tmpfs(String path, String options) {
    public Tmpfs {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(options, "options");
    }
  }

  /** A resource limit, {@code NAME=SOFT[:HARD]}; -1 is unlimited. */
  public record Ulimit(String name, long soft, long hard) {
    public Ulimit {
      Objects.requireNonNull(name, "name");
    }
  }

  /** What a mount brings into the container. */
  public enum MountType {
    /** A file or directory of the engine's host. */
    BIND,
    /** A named volume that exists, or a new anonymous one (removed with the container). */
    VOLUME,
    /** A tmpfs. */
    TMPFS
  }

  /**
   * A mount.
   *
   * @param source the host path (BIND) or the volume's name (VOLUME; empty for an anonymous one)
   * @param target the absolute path in the container
   * @param readOnly read-only (the default)
   * @param noCopy for a new volume: do not copy the image's files at the target into it
   * @param propagation BIND: private, rprivate, slave or rslave
   * @param tmpfsSize TMPFS: size in bytes
   * @param tmpfsMode TMPFS: the mode of its root
   */
  public record Mount(
      MountType type,
      Optional<String> source,
      String target,
      boolean readOnly,
      boolean noCopy,
      Optional<String> propagation,
      Optional<Long> tmpfsSize,
      Optional<Integer> tmpfsMode) {
    public Mount {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(propagation, "propagation");
      Objects.requireNonNull(tmpfsSize, "tmpfsSize");
      Objects.requireNonNull(tmpfsMode, "tmpfsMode");
      if (type == MountType.BIND && source.isEmpty()) {
        throw new IllegalArgumentException("a bind mount needs a source");
      }
    }

    /** As {@code --mount} would say it, with the read-only choice always explicit. */
    public String spec() {
      StringBuilder b =
          new StringBuilder("type=").append(type.name().toLowerCase(java.util.Locale.ROOT));
      source.ifPresent(s -> b.append(",source=").append(s));
      b.append(",target=").append(target);
      if (type != MountType.TMPFS) {
        b.append(readOnly ? ",readonly" : ",readonly=false");
      }
      if (noCopy) {
        b.append(",volume-nocopy");
      }
      propagation.ifPresent(p -> b.append(",bind-propagation=").append(p));
      tmpfsSize.ifPresent(s -> b.append(",tmpfs-size=").append(s));
      tmpfsMode.ifPresent(m -> b.append(",tmpfs-mode=").append(Integer.toOctalString(m)));
      return b.toString();
    }
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * Every path in the container where something not from the image is mounted: what a probe reads
   * or writes there is never the image's.
   */
  public List<String> mountTargets() {
    List<String> out = new ArrayList<>();
    tmpfs.forEach(t -> out.add(t.path()));
    mounts.forEach(m -> out.add(m.target()));
    return out;
  }

  /** The targets of bind and volume mounts: content from outside the image, never kept. */
  public List<String> externalTargets() {
    return mounts.stream().filter(m -> m.type() != MountType.TMPFS).map(Mount::target).toList();
  }

  /**
   * The options as {@code docker run} arguments, in a fixed order ({@code -v} written as the {@code
   * --mount} it means): what a saved profile records, and what a user can paste.
   */
  public List<String> args() {
    List<String> out = new ArrayList<>();
    addHosts.forEach(h -> out.addAll(List.of("--add-host", h)));
    for (Tmpfs t : tmpfs) {
      out.addAll(
          List.of("--tmpfs", t.options().isEmpty() ? t.path() : t.path() + ":" + t.options()));
    }
    mounts.forEach(m -> out.addAll(List.of("--mount", m.spec())));
    shmSize.ifPresent(s -> out.addAll(List.of("--shm-size", Long.toString(s))));
    for (Ulimit u : ulimits) {
      out.addAll(List.of("--ulimit", u.name() + "=" + u.soft() + ":" + u.hard()));
    }
    dns.forEach(d -> out.addAll(List.of("--dns", d)));
    return out;
  }
}
