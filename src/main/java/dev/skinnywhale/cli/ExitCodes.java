package dev.skinnywhale.cli;

import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.docker.EngineUnavailableException;
import dev.skinnywhale.image.ConfigChangeException;
import dev.skinnywhale.image.ImageFormatException;
import dev.skinnywhale.image.registry.RegistryException;
import dev.skinnywhale.profile.ProfileException;
import dev.skinnywhale.workflow.run.CancelledException;
import dev.skinnywhale.workflow.run.NotFoundException;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one place that maps what went wrong to the process exit code; --help lists these. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;
  public static final int ENGINE_UNAVAILABLE = 3;
  public static final int NOT_FOUND = 4;
  public static final int UNUSABLE_INPUT = 5;
  public static final int IO = 6;
  public static final int ENGINE = 7;
  public static final int VERIFY_FAILED = 8;
  public static final int PROBE_FAILED = 9;
  public static final int REGISTRY = 10;
  public static final int INTERRUPTED = 130;
  public static final int TERMINATED = 143;

  /** The exit-code section of every command's help. */
  public static final String[] HELP = {
    "0:Success.",
    "1:Internal error (a bug; rerun with --stacktrace and report it), or out of memory or"
        + " stack (raise it: JAVA_OPTS=-Xmx2g, JAVA_OPTS=-Xss16m).",
    "2:Bad usage: unknown option, missing or malformed argument, a bad --change, a refused"
        + " run option (--privileged, --cap-add, devices), a malformed image or container"
        + " reference, a --timeout over 86400.",
    "3:The Docker engine cannot be reached (is dockerd running? DOCKER_HOST?).",
    "4:No such container or image.",
    "5:The input cannot be slimmed (no usable filesystem, conflicting options, bad profile).",
    "6:A local file could not be read or written (disk full, no such directory, permissions), or"
        + " an output exists and is not a regular file (directory, device, FIFO, symlink).",
    "7:The Docker engine refused a call (load, create, commit, ...).",
    "8:Verification failed: the slim image does not run the commands as the source did.",
    "9:A probe command failed in the source image (also a program not found in the image:"
        + " exit 127 there, reported as PROGRAM: not found in the image).",
    "10:A registry could not be reached or refused (credentials, --insecure-registry).",
    "130:Interrupted by SIGINT (Ctrl-C); temporary containers, images and files were removed.",
    "143:Terminated by SIGTERM; temporary containers, images and files were removed.",
  };

  private ExitCodes() {}

  /** The exit code for an exception that ended a command. */
  public static int of(Throwable e) {
    if (e instanceof EngineUnavailableException) {
      return ENGINE_UNAVAILABLE;
    }
    if (e instanceof EngineException) {
      return ENGINE;
    }
    if (e instanceof ProbeFailedException) {
      return PROBE_FAILED;
    }
    if (e instanceof RegistryException r) {
      return r.kind() == RegistryException.Kind.NOT_FOUND ? NOT_FOUND : REGISTRY;
    }
    if (e instanceof NotFoundException) {
      return NOT_FOUND;
    }
    if (e instanceof UnusableInputException
        || e instanceof ProfileException
        || e instanceof ImageFormatException) {
      return UNUSABLE_INPUT;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return IO;
    }
    if (e instanceof InterruptedException || e instanceof CancelledException) {
      return INTERRUPTED;
    }
    if (e instanceof ConfigChangeException) {
      return USAGE; // a --change that is bad once the config's Env is known
    }
    return INTERNAL;
  }

  /** A one-line message for the user: what failed, without a stack trace. */
  public static String message(Throwable e) {
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return "no such file or directory: " + n.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return (f.getReason() != null ? f.getReason() : "file already exists") + ": " + f.getFile();
    }
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = e.getClass().getSimpleName();
    }
    if (e instanceof IOException && msg.contains("No space left on device")) {
      return "disk full: " + msg;
    }
    // One line: the message's own line breaks (a script's text, an engine's answer) become spaces.
    return msg.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
