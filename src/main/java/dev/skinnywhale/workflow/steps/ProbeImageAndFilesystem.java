package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.run.Parallel;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * CommitProbeImage and ReadFilesystem of a trace. For a container of the engine the two overlap:
 * the commit runs on a thread of its own while the container's filesystem is exported (both only
 * read the container), and the {@code commit} phase counts only the time the run still waited for
 * it after the export. Otherwise they run one after the other. The messages come in the same order
 * either way; when one fails the other has ended first (the committed image is registered for
 * removal the moment it exists, a filesystem read whose commit failed is closed). An image source
 * is read through a helper ({@link ReadFilesystem.Mode#AUTO}); with {@link
 * ReadFilesystem.Mode#HELPER} a container's filesystem is too, from a helper container of the
 * committed image, after the commit (measured no faster: the commit then is on the way).
 */
public record ProbeImageAndFilesystem(Run run, ReadFilesystem.Mode mode) {
  public ProbeImageAndFilesystem(Run run) {
    this(run, ReadFilesystem.Mode.AUTO);
  }

  /** The image the probes are made from and the source's filesystem (closed by the caller). */
  public record Ready(String probeImage, RootFs fs) {
    public Ready {
      java.util.Objects.requireNonNull(probeImage, "probeImage");
      java.util.Objects.requireNonNull(fs, "fs");
    }
  }

  public Ready prepare(Source source) throws IOException {
    CommitProbeImage commit = new CommitProbeImage(run);
    ReadFilesystem reader = new ReadFilesystem(run, mode);
    if (mode == ReadFilesystem.Mode.HELPER) {
      // the helper is a container of the probe image: the commit comes first
      String image = commit.imageFor(source);
      return new Ready(image, reader.read(source, java.util.Optional.of(image)));
    }
    if (source.kind() != Source.Kind.CONTAINER || !source.inEngine()) {
      String image = commit.imageFor(source);
      return new Ready(image, reader.read(source));
    }
    var clock = run.steps().clock();
    run.steps().say(CommitProbeImage.COMMIT_MESSAGE);
    run.steps().add("commit", Duration.ZERO);
    Instant start = clock.instant();
    Instant[] committed = new Instant[1];
    Instant[] read = new Instant[1];
    Parallel.Pair<String, RootFs> both =
        Parallel.both(
            () -> {
              try {
                return commit.commit(source);
              } finally {
                committed[0] = clock.instant();
              }
            },
            () -> {
              try {
                return reader.read(source);
              } finally {
                read[0] = clock.instant();
              }
            },
            ProbeImageAndFilesystem::closeQuietly);
    Duration waited = positive(Duration.between(read[0], committed[0]));
    run.steps().add("commit", waited);
    run.reporter()
        .debug(
            "the commit took "
                + Duration.between(start, committed[0]).toMillis()
                + " ms, beside reading the filesystem; the run waited "
                + waited.toMillis()
                + " ms for it");
    return new Ready(both.first(), both.second());
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static void closeQuietly(RootFs fs) {
    try {
      fs.close();
    } catch (IOException | RuntimeException e) {
      // the commit's failure is what is reported
    }
  }
}
