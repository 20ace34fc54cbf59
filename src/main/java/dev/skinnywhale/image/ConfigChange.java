package dev.skinnywhale.image;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code --change} instruction, parsed ({@link ChangeParser}) but not yet applied ({@link
 * ConfigChanges}): Docker expands variables in most arguments from the config's Env as it stands
 * when the instruction is applied, so the words that take variables are kept as written.
 */
public sealed interface ConfigChange {
  /** The instruction as written (one logical line), for messages. */
  String text();

  /** Something the user should know about an instruction Docker accepts as it is. */
  default Optional<String> warning() {
    return Optional.empty();
  }

  /** A raw {@code key=value} pair of ENV or LABEL, both parts still to be processed. */
  record Pair(String key, String value) {
    public Pair {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code CMD}: the new command; the shell form is already {@code ["/bin/sh","-c",TEXT]}.
   *
   * @param notJson the arguments start with '[' but are not a JSON array, so they were taken as a
   *     shell command (Docker's rule; usually a typo)
   */
  record Cmd(String text, List<String> argv, boolean notJson) implements ConfigChange {
    public Cmd {
      Objects.requireNonNull(text, "text");
      argv = List.copyOf(argv);
    }

    @Override
    public Optional<String> warning() {
      return notJson ? Optional.of(notJsonWarning(text)) : Optional.empty();
    }
  }

  /** {@code ENTRYPOINT}: as {@link Cmd}; it also clears the command, unless a CMD came first. */
  record Entrypoint(String text, List<String> argv, boolean notJson) implements ConfigChange {
    public Entrypoint {
      Objects.requireNonNull(text, "text");
      argv = List.copyOf(argv);
    }

    @Override
    public Optional<String> warning() {
      return notJson ? Optional.of(notJsonWarning(text)) : Optional.empty();
    }
  }

  /** {@code ENV k=v ...} or {@code ENV k v}: set in place, or appended. */
  record Env(String text, List<Pair> pairs) implements ConfigChange {
    public Env {
      Objects.requireNonNull(text, "text");
      pairs = List.copyOf(pairs);
    }
  }

  /** {@code LABEL k=v ...} or {@code LABEL k v}. */
  record Label(String text, List<Pair> pairs) implements ConfigChange {
    public Label {
      Objects.requireNonNull(text, "text");
      pairs = List.copyOf(pairs);
    }
  }

  /** {@code EXPOSE PORT[-PORT][/PROTO] ...}, each word still to be processed. */
  record Expose(String text, List<String> ports) implements ConfigChange {
    public Expose {
      Objects.requireNonNull(text, "text");
      ports = List.copyOf(ports);
    }
  }

  /** {@code USER name[:group]}. */
  record User(String text, String user) implements ConfigChange {
    public User {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(user, "user");
    }
  }

  /** {@code VOLUME ["/a","/b"]} or {@code VOLUME /a /b}. */
  record Volume(String text, List<String> paths) implements ConfigChange {
    public Volume {
      Objects.requireNonNull(text, "text");
      paths = List.copyOf(paths);
    }
  }

  /** {@code WORKDIR path}, relative to the working directory before it. */
  record Workdir(String text, String path) implements ConfigChange {
    public Workdir {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(path, "path");
    }
  }

  /** {@code STOPSIGNAL signal}. */
  record StopSignal(String text, String signal) implements ConfigChange {
    public StopSignal {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(signal, "signal");
    }
  }

  /** {@code ONBUILD INSTRUCTION}: a trigger for images built FROM this one, stored as written. */
  record OnBuild(String text, String trigger) implements ConfigChange {
    public OnBuild {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(trigger, "trigger");
    }
  }

  /**
   * {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [OPTIONS] CMD command}: replaces the
   * healthcheck.
   *
   * @param test {@code ["NONE"]}, {@code ["CMD", argv...]} or {@code ["CMD-SHELL", text]}
   * @param interval nanoseconds, 0 when not given (so are the other durations)
   * @param retries 0 when not given
   */
  record Healthcheck(
      String text,
      List<String> test,
      long interval,
      long timeout,
      long startPeriod,
      long startInterval,
      int retries)
      implements ConfigChange {
    public Healthcheck {
      Objects.requireNonNull(text, "text");
      test = List.copyOf(test);
      if (test.isEmpty()) {
        throw new IllegalArgumentException("a healthcheck needs a test");
      }
    }
  }

  private static String notJsonWarning(String text) {
    return "--change '"
        + text
        + "': the arguments are not a JSON array (use double quotes: [\"a\", \"b\"]), so they"
        + " are run as one shell command, as docker commit does";
  }
}
