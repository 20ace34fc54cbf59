package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.ProbeRunner;
import dev.skinnywhale.trace.ProbeSeccomp;
import dev.skinnywhale.trace.TracerBinary;
import dev.skinnywhale.trace.TracerKind;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.util.Optional;

/**
 * How a run's probe containers are made and traced: with the tracer binary for the image's
 * architecture, or with LD_DEBUG. The probe and the verification steps share one.
 */
public final class Prober {
  private final ProbeRunner runner;
  private final boolean ldDebug;
  private final byte[] tracer;
  private final ProbeSeccomp traced;

  private Prober(ProbeRunner runner, boolean ldDebug, byte[] tracer, ProbeSeccomp traced) {
    this.runner = runner;
    this.ldDebug = ldDebug;
    this.tracer = tracer;
    this.traced = traced;
  }

  /**
   * This prober, with every traced run also recording its syscalls (the tracer's {@code
   * --syscalls}; ptrace only).
   */
  public Prober recordingSyscalls() {
    return new Prober(runner, ldDebug, tracer, ProbeSeccomp.RECORD);
  }

  /** The tracer for the source's architecture, or LD_DEBUG when asked for. */
  public static Prober choose(Run run, Source source, boolean ldDebug) {
    byte[] tracer =
        ldDebug
            ? new byte[0]
            : TracerBinary.forArchitecture(source.architecture())
                .orElseThrow(
                    () ->
                        new UnusableInputException(
                            "no tracer for architecture "
                                + source.architecture()
                                + " in this build; use --ld-debug"));
    return new Prober(
        new ProbeRunner(run.engine(), run.cleanup(), run.labels("probe")),
        ldDebug,
        tracer,
        ProbeSeccomp.NONE);
  }

  /** Whether probes are traced with LD_DEBUG (libraries only). */
  public boolean ldDebug() {
    return ldDebug;
  }

  /** Runs {@code command} in a container of {@code image}, traced. */
  public ProbeRun trace(String image, ProbeCommand command, ProbeOptions options)
      throws IOException {
    if (ldDebug) {
      return runner.run(image, command, options, TracerKind.LD_DEBUG, Optional.empty());
    }
    return runner.trace(image, command, options, tracer, traced);
  }

  /** Runs {@code command} in a container of {@code image}, not traced. */
  public ProbeRun plain(String image, ProbeCommand command, ProbeOptions options)
      throws IOException {
    return runner.run(image, command, options, TracerKind.NONE, Optional.empty());
  }

  /** Runs {@code command} in a container of {@code image}, not traced, under a seccomp profile. */
  public ProbeRun plainUnder(
      String image, ProbeCommand command, ProbeOptions options, String seccompProfile)
      throws IOException {
    return runner.run(
        image,
        command,
        options,
        TracerKind.NONE,
        Optional.empty(),
        ProbeSeccomp.under(seccompProfile));
  }
}
