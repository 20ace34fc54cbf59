package dev.skinnywhale.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One attack of the hostile-input harness and what it must give: the exit codes it may end with
 * (each also a documented one), the files of its work directory it may create, the source it must
 * leave unchanged, extra checks, and its wall-time bound.
 */
record HostileCase(
    String name,
    Attack attack,
    String input,
    Function<Context, List<String>> args,
    Set<Integer> exits,
    Setup setup,
    Set<String> outputs,
    Optional<String> sourceImage,
    Optional<String> sourceContainer,
    Map<String, Optional<String>> env,
    List<Check> checks,
    Duration bound,
    Optional<HostileRunner.Signal> signal) {

  /** The classes of attack, by the item of issue 11 that names what breaks. */
  enum Attack {
    OUTPUT_SAFETY("1: -o, --save-profile, profile merge -o onto a non-regular target"),
    SIGNALS("2: SIGINT/SIGTERM while probes run"),
    BUDGETS("3: unbounded work on small hostile inputs"),
    OUT_OF_MEMORY("4: out of memory is one line"),
    REPRODUCIBILITY("5: an image input slimmed twice"),
    NAMES_ARE_BYTES("6: odd names in a container's change set"),
    NESTED_PTRACE("7: a smoke command that uses ptrace itself"),
    DANGLING_INCLUDE("8: --include of a dangling symlink"),
    USAGE_AND_WARNINGS("9: bounded warnings and output, usage errors up front"),
    LAUNCHER_HEAP("10: the launcher's heap and JAVA_OPTS"),
    CONFINEMENT("-: no host path is read, no symlink escapes, odd names survive");

    final String item;

    Attack(String item) {
      this.item = item;
    }
  }

  /** What a case sees: its directories and the fixtures of the run. */
  record Context(
      Path work, Path tmp, Map<String, String> images, String container, Path canaryDir) {
    String image(String key) {
      String tag = images.get(key);
      if (tag == null) {
        throw new IllegalArgumentException("no hostile image " + key);
      }
      return tag;
    }

    String at(String name) {
      return work.resolve(name).toString();
    }
  }

  interface Setup {
    void prepare(Context c) throws Exception;
  }

  interface Check {
    void check(Context c, HostileRunner.Outcome o) throws Exception;
  }

  static Builder of(String name, Attack attack, String input) {
    return new Builder(name, attack, input);
  }

  /** Cases have many optional parts; the builder is frozen by {@link #build()}. */
  static final class Builder {
    private final String name;
    private final Attack attack;
    private final String input;
    private Function<Context, List<String>> args = c -> List.of();
    private Set<Integer> exits = Set.of(0);
    private Setup setup = c -> {};
    private Set<String> outputs = Set.of();
    private Optional<String> sourceImage = Optional.empty();
    private Optional<String> sourceContainer = Optional.empty();
    private final Map<String, Optional<String>> env = new HashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private Duration bound = Duration.ofSeconds(60);
    private Optional<HostileRunner.Signal> signal = Optional.empty();

    private Builder(String name, Attack attack, String input) {
      this.name = name;
      this.attack = attack;
      this.input = input;
    }

    Builder args(Function<Context, List<String>> a) {
      this.args = a;
      return this;
    }

    Builder exits(Integer... codes) {
      this.exits = Set.of(codes);
      return this;
    }

    Builder setup(Setup s) {
      this.setup = s;
      return this;
    }

    Builder outputs(String... names) {
      this.outputs = Set.of(names);
      return this;
    }

    /** The engine image (a key of the fixtures, or a reference) that must stay as it was. */
    Builder sourceImage(String keyOrRef) {
      this.sourceImage = Optional.of(keyOrRef);
      return this;
    }

    Builder sourceContainer() {
      this.sourceContainer = Optional.of("container");
      return this;
    }

    /** Sets (or with an empty value, removes) a variable of the launcher's environment. */
    Builder env(String key, Optional<String> value) {
      env.put(key, value);
      return this;
    }

    Builder check(Check c) {
      checks.add(c);
      return this;
    }

    Builder bound(Duration d) {
      this.bound = d;
      return this;
    }

    Builder signal(HostileRunner.Signal s) {
      this.signal = Optional.of(s);
      return this;
    }

    HostileCase build() {
      return new HostileCase(
          name,
          attack,
          input,
          args,
          exits,
          setup,
          outputs,
          sourceImage,
          sourceContainer,
          Map.copyOf(env),
          List.copyOf(checks),
          bound,
          signal);
    }
  }

  @Override
  public String toString() {
    return attack.name() + "/" + name;
  }
}
