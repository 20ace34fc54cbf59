package dev.skinnywhale.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The wire form of a profile (schemaVersion 2; 1 is the same without {@code symbols}): what Jackson
 * binds, in the order and with the inclusion it is written. {@link ProfileWireTranslator} turns it
 * into the domain records and back.
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
  "entries"
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

  @JsonPropertyOrder({"image", "reference", "architecture"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class SourceWire {
    public String image;
    public String reference;
    public String architecture;
  }

  @JsonPropertyOrder({"run", "exitCode"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class CommandWire {
    public String run;
    public Integer exitCode;
  }

  @JsonPropertyOrder({"path", "type", "why", "neededBy"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class EntryWire {
    public String path;
    public String type;
    public List<String> why;
    public String neededBy;
  }
}
