package dev.skinnywhale.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The wire form of a profile (schemaVersion 1 and 2; {@code symbols} and {@code seccomp} are
 * version 2 only): what Jackson binds, in the order and with the inclusion it is written. {@link
 * ProfileWireTranslator} turns it into the domain records and back.
 *
 * <p>Plain field classes rather than records: Jackson binds records through their constructor and
 * then reports an unknown field at the end of the object, not where it is.
 */
@JsonPropertyOrder({
  "schemaVersion",
  "name",
  "comment",
  "source",
  "tracer",
  "commands",
  "markers",
  "symbols",
  "entries",
  "seccomp"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
final class ProfileWire {
  public Integer schemaVersion;
  public String name;
  public String comment;
  public SourceWire source;
  public String tracer;
  public List<CommandWire> commands;
  public List<String> markers;
  public List<String> symbols;
  public List<EntryWire> entries;
  public SeccompWire seccomp;

  @JsonPropertyOrder({"image", "reference", "architecture"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class SourceWire {
    public String image;
    public String reference;
    public String architecture;
  }

  @JsonPropertyOrder({"run", "exitCode", "options"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class CommandWire {
    public String run;
    public Integer exitCode;

    /** Optional: the probe's {@code docker run} options as arguments; absent when none. */
    public List<String> options;
  }

  @JsonPropertyOrder({"path", "type", "why", "neededBy"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class EntryWire {
    public String path;
    public String type;
    public List<String> why;
    public String neededBy;
  }

  /** schemaVersion 2: the seccomp policy of the traced commands. */
  @JsonPropertyOrder({"architectures", "allow", "enosys"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class SeccompWire {
    public List<String> architectures;
    public List<String> allow;
    public List<String> enosys;
  }
}
