package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.workflow.run.Parallel;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A trace's probes beside the reading of its filesystem: for an image or container of the engine,
 * the probe image (the image itself, a container committed) and the probes run on a thread of their
 * own while the filesystem is read (through a helper, or exported) and what needs only the
 * filesystem is done ({@code then}: the profiles, the package database, the change set). A
 * container whose filesystem is read through a helper of its committed image ({@link
 * ReadFilesystem#readsCommit}) is committed first, then probed beside the read; else its commit
 * runs on the probes' thread beside its export (measured: a JRE container's commit is 2.2-2.7 s,
 * its export 5-8 s, the helper's index 1-2 s). Neither waits for the other: both only read the
 * source. The commands are made as they would run in an image with a shell; when the filesystem
 * shows the image has none ({@link PrepareCommands#hasShell}), they run again as their argv, one
 * after the other, so the probes are always those of the commands as they run in the image (a
 * guessed probe that could not run at all, as LD_DEBUG's without a shell, is dropped the same way).
 * The {@code probe} phase, and the {@code commit} phase of a commit beside the export, count only
 * the time the run still waited for them after the filesystem's part ended (a commit that comes
 * first counts whole). When either side fails the other has ended first (a failed read is reported
 * once the probes ended); a filesystem whose probes failed is closed. A failure of what needs only
 * the filesystem is reported before a failed probe's.
 */
public record ProbeBesideFilesystem(Run run, ReadFilesystem.Mode mode) {
  /** What is done with the filesystem while the probes still run. */
  @FunctionalInterface
  public interface Then<T> {
    T apply(RootFs fs) throws IOException;
  }

  /** The probe image, the filesystem (closed by the caller), what was done with it, the probes. */
  public record Done<T>(
      String probeImage, RootFs fs, T then, List<ProbeCommand> commands, List<ProbeRun> probes) {
    public Done {
      commands = List.copyOf(commands);
      probes = List.copyOf(probes);
    }
  }

  /** What the commands are, but for whether the image has a shell. */
  public record Commands(
      List<String> texts,
      Optional<PrepareCommands.RunFile> runFile,
      Optional<ProbeCommand> configProbe) {
    public Commands {
      texts = List.copyOf(texts);
    }

    List<ProbeCommand> as(boolean shell) {
      List<ProbeCommand> out = new ArrayList<>(PrepareCommands.of(texts, runFile, shell));
      configProbe.ifPresent(out::add);
      return out;
    }
  }

  /**
   * Whether {@code source}'s probes can run beside its read: an image or container of the engine.
   */
  public static boolean applies(Source source) {
    return source.inEngine();
  }

  /** The probes of {@code commands} beside the read of {@code source} and {@code then}. */
  public <T> Done<T> run(
      Source source,
      String target,
      Prober prober,
      Commands commands,
      ProbeOptions options,
      boolean expectTimeout,
      Then<T> then)
      throws IOException {
    List<ProbeCommand> guessed = commands.as(true);
    Probe probe = new Probe(run, prober);
    CommitProbeImage commit = new CommitProbeImage(run);
    ReadFilesystem reader = new ReadFilesystem(run, mode);
    // a container read through a helper of its commit is committed first, else beside the read
    Optional<String> committedFirst =
        reader.readsCommit(source) ? Optional.of(commit.imageFor(source)) : Optional.empty();
    boolean container = source.kind() == Source.Kind.CONTAINER && committedFirst.isEmpty();
    var clock = run.steps().clock();
    Instant[] committed = new Instant[1];
    Instant[] probed = new Instant[1];
    Instant[] read = new Instant[1];
    if (container) {
      run.steps().say(CommitProbeImage.COMMIT_MESSAGE);
      run.steps().add("commit", Duration.ZERO);
    }
    run.steps().add("probe", Duration.ZERO);
    Instant start = clock.instant();
    record Probed(String image, List<ProbeRun> ran, Optional<Exception> failure) {}
    record Read<T>(RootFs fs, T then) {}
    Parallel.Pair<Probed, Read<T>> both =
        Parallel.both(
            () -> {
              String image;
              try {
                image =
                    committedFirst.orElseGet(
                        () -> container ? commit.commit(source) : source.imageId());
              } finally {
                committed[0] = clock.instant();
              }
              try {
                return new Probed(
                    image, probe.run(image, guessed, options, expectTimeout), Optional.empty());
              } catch (IOException | RuntimeException e) {
                // a guess that was wrong may fail to start at all (LD_DEBUG runs the shell as
                // the container's own entrypoint): decided once the filesystem is known
                return new Probed(image, List.of(), Optional.of(e));
              } finally {
                probed[0] = clock.instant();
              }
            },
            () -> {
              RootFs fs = reader.read(source, committedFirst);
              try {
                T done = then.apply(fs);
                read[0] = clock.instant();
                return new Read<>(fs, done);
              } catch (IOException | RuntimeException | Error e) {
                closeQuietly(fs);
                throw e;
              }
            },
            r -> closeQuietly(r.fs()));
    RootFs fs = both.second().fs();
    try {
      Duration commitWaited = positive(Duration.between(read[0], committed[0]));
      Instant later = committed[0].isAfter(read[0]) ? committed[0] : read[0];
      Duration probeWaited = positive(Duration.between(later, probed[0]));
      if (container) {
        run.steps().add("commit", commitWaited);
      }
      run.steps().add("probe", probeWaited);
      run.reporter()
          .debug(
              "the probes took "
                  + Duration.between(committed[0], probed[0]).toMillis()
                  + " ms"
                  + (container
                      ? " after a commit of "
                          + Duration.between(start, committed[0]).toMillis()
                          + " ms"
                      : "")
                  + ", beside reading the filesystem ("
                  + Duration.between(start, read[0]).toMillis()
                  + " ms); the run waited "
                  + commitWaited.plus(probeWaited).toMillis()
                  + " ms for them");
      String image = both.first().image();
      List<ProbeCommand> actual = commands.as(PrepareCommands.hasShell(fs));
      List<ProbeRun> probes;
      if (actual.equals(guessed)) {
        Optional<Exception> failure = both.first().failure();
        if (failure.isPresent() && failure.get() instanceof IOException io) {
          throw io;
        }
        if (failure.isPresent()) {
          throw (RuntimeException) failure.get();
        }
        probes = probe.check(target, actual, both.first().ran(), expectTimeout);
      } else {
        run.reporter().debug("the image has no /bin/sh: the commands run as their own argv");
        probes = probe.probe(target, image, actual, options, expectTimeout);
      }
      return new Done<>(image, fs, both.second().then(), actual, probes);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(fs);
      throw e;
    }
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static void closeQuietly(RootFs fs) {
    try {
      fs.close();
    } catch (IOException | RuntimeException e) {
      // the failure that ends the run is what is reported
    }
  }
}
