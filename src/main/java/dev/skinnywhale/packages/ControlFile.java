package dev.skinnywhale.packages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Debian control-file syntax (deb822) as dpkg's status file and apt's extended_states use it:
 * records separated by blank lines, each a list of {@code Name: value} fields, a field continued on
 * lines that start with a space or a tab. Every line is kept as it was, so a record can be written
 * back byte for byte with some fields changed.
 */
final class ControlFile {
  private ControlFile() {}

  /**
   * One field.
   *
   * @param name as written
   * @param value the text after the colon on the first line, stripped
   * @param continuation the continuation lines, stripped, in order
   * @param raw every line of the field as written, without line breaks
   * @param line 1-based line of the field's first line
   */
  record Field(String name, String value, List<String> continuation, List<String> raw, int line) {
    Field {
      continuation = List.copyOf(continuation);
      raw = List.copyOf(raw);
    }

    /** The raw lines, each ending in a line break. */
    String text() {
      StringBuilder out = new StringBuilder();
      raw.forEach(l -> out.append(l).append('\n'));
      return out.toString();
    }
  }

  /**
   * One record.
   *
   * @param fields in order
   * @param line 1-based line of the first field
   */
  record Stanza(List<Field> fields, int line) {
    Stanza {
      fields = List.copyOf(fields);
    }

    /** A field by name (field names are case-insensitive). */
    Optional<Field> field(String name) {
      return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    /** A field's first-line value, or "" when the record has no such field. */
    String value(String name) {
      return field(name).map(Field::value).orElse("");
    }

    /** The record as written, each line ending in a line break, without the blank line after. */
    String text() {
      StringBuilder out = new StringBuilder();
      fields.forEach(f -> out.append(f.text()));
      return out.toString();
    }
  }

  /**
   * The records of {@code text}; {@code file} names it in errors.
   *
   * @throws PackageDbException naming the file and line of a line that is no field, a continuation
   *     line without a field, a field given twice, or a limit passed
   */
  static List<Stanza> parse(String file, String text, DbLimits limits) {
    List<Stanza> out = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    List<String> continuation = new ArrayList<>();
    String name = null;
    String value = null;
    int fieldLine = 0;
    int stanzaLine = 0;
    int lineNo = 0;
    int pos = 0;
    while (pos < text.length()) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(pos, end);
      pos = end + 1;
      lineNo++;
      if (line.length() > limits.maxLineChars()) {
        throw new PackageDbException(
            file, lineNo, "line longer than the limit of " + limits.maxLineChars() + " characters");
      }
      if (line.isBlank()) {
        if (name != null) {
          fields.add(new Field(name, value, continuation, raw, fieldLine));
          name = null;
        }
        if (!fields.isEmpty()) {
          out.add(stanza(file, fields, stanzaLine, limits, out.size()));
          fields = new ArrayList<>();
        }
        continue;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (name == null) {
          throw new PackageDbException(
              file, lineNo, "continuation line outside a field: " + shorten(line));
        }
        raw.add(line);
        continuation.add(line.strip());
        continue;
      }
      if (first == '#' && name == null && fields.isEmpty()) {
        continue; // a comment between records
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new PackageDbException(file, lineNo, "not a 'Name: value' field: " + shorten(line));
      }
      if (name != null) {
        fields.add(new Field(name, value, continuation, raw, fieldLine));
      }
      if (fields.isEmpty()) {
        stanzaLine = lineNo;
      }
      name = line.substring(0, colon);
      String lower = name.toLowerCase(Locale.ROOT);
      for (Field f : fields) {
        if (f.name().toLowerCase(Locale.ROOT).equals(lower)) {
          throw new PackageDbException(file, lineNo, "field " + name + " given twice in a record");
        }
      }
      if (fields.size() >= limits.maxFields()) {
        throw new PackageDbException(
            file, lineNo, "more than " + limits.maxFields() + " fields in one record");
      }
      value = line.substring(colon + 1).strip();
      fieldLine = lineNo;
      raw = new ArrayList<>(List.of(line));
      continuation = new ArrayList<>();
    }
    if (name != null) {
      fields.add(new Field(name, value, continuation, raw, fieldLine));
    }
    if (!fields.isEmpty()) {
      out.add(stanza(file, fields, stanzaLine, limits, out.size()));
    }
    return out;
  }

  private static Stanza stanza(
      String file, List<Field> fields, int line, DbLimits limits, int before) {
    if (before >= limits.maxPackages()) {
      throw new PackageDbException(
          file, line, "more than " + limits.maxPackages() + " records (the limit)");
    }
    return new Stanza(fields, line);
  }

  static String shorten(String line) {
    String s = line.length() > 80 ? line.substring(0, 80) + "..." : line;
    return "'" + s + "'";
  }
}
