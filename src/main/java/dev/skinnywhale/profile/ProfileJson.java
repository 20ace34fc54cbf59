package dev.skinnywhale.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Profile JSON: the only class of this package that knows Jackson. Reading is strict (unknown
 * fields, duplicate keys, wrong types and coercions are errors; top-level {@code "x-*"} fields are
 * allowed and ignored); writing is canonical: fixed field order, sorted entries, two-space indent,
 * one line per command, marker, symbol and entry, a trailing newline.
 *
 * <p>The wire form is a set of DTO classes ({@link ProfileWire}) translated to and from the domain
 * records by {@link ProfileWireTranslator}, so the schema can change without touching {@link
 * Profile}.
 */
public final class ProfileJson {
  /** Profiles larger than this are refused before parsing. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  private final ObjectMapper mapper;

  public ProfileJson() {
    JsonMapper m =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addHandler(new ExtensionFields())
            .build();
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    this.mapper = m;
  }

  /** Reads a profile file; errors name the file. */
  public Profile read(Path file) {
    String source = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ProfileException(
            source, "too large: " + size + " bytes (at most " + MAX_BYTES + ")");
      }
      // The size of a device or a pipe says nothing (/dev/zero is 0 bytes): read at most the limit.
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        throw new ProfileException(source, "too large (more than " + MAX_BYTES + " bytes)");
      }
    } catch (NoSuchFileException e) {
      throw new ProfileException(source, "no such file");
    } catch (IOException e) {
      throw new ProfileException(source, "cannot read: " + e.getMessage(), e);
    }
    return parse(source, bytes);
  }

  /** Reads a profile from a stream; {@code sourceName} is what error messages call it. */
  public Profile read(String sourceName, InputStream in) {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new ProfileException(sourceName, "cannot read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new ProfileException(sourceName, "too large (more than " + MAX_BYTES + " bytes)");
    }
    return parse(sourceName, bytes);
  }

  /** The canonical JSON text of a profile, ending with a newline. */
  public String write(Profile profile) {
    JsonNode tree = mapper.valueToTree(ProfileWireTranslator.toWire(profile));
    StringBuilder out = new StringBuilder("{\n");
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.append("  ").append(quote(field.getKey())).append(": ");
      JsonNode value = field.getValue();
      if (value.isArray() && !value.isEmpty()) {
        out.append("[\n");
        for (int i = 0; i < value.size(); i++) {
          out.append("    ");
          inline(value.get(i), out);
          out.append(i + 1 < value.size() ? ",\n" : "\n");
        }
        out.append("  ]");
      } else {
        inline(value, out);
      }
      out.append(fields.hasNext() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }

  // ---- reading

  private Profile parse(String source, byte[] bytes) {
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw located(source, e, e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ProfileException(source, "empty file");
    }
    if (!tree.isObject()) {
      throw new ProfileException(source, "not a JSON object");
    }
    JsonNode version = tree.get("schemaVersion");
    if (version == null || version.isNull()) {
      throw new ProfileException(source, "missing \"schemaVersion\"");
    }
    if (!version.isInt()) {
      throw new ProfileException(source, "\"schemaVersion\" is not an integer: " + version);
    }
    if (version.intValue() < Profile.MIN_SCHEMA_VERSION
        || version.intValue() > Profile.SCHEMA_VERSION) {
      throw new ProfileException(
          source,
          "unsupported schemaVersion "
              + version.intValue()
              + " (this version of skinnywhale reads schemaVersion "
              + Profile.MIN_SCHEMA_VERSION
              + " to "
              + Profile.SCHEMA_VERSION
              + ")");
    }
    ProfileWire wire;
    try {
      wire = mapper.readValue(bytes, ProfileWire.class);
    } catch (UnrecognizedPropertyException e) {
      String where = jsonPath(e);
      throw located(
          source,
          e,
          "unknown field \""
              + e.getPropertyName()
              + "\""
              + (where.isEmpty() ? "" : " in " + where)
              + (where.isEmpty() ? " (extensions must start with \"x-\")" : ""));
    } catch (JsonMappingException e) {
      String where = jsonPath(e);
      String message = e.getOriginalMessage().lines().findFirst().orElse("");
      throw located(source, e, (where.isEmpty() ? "" : where + ": ") + message);
    } catch (JsonProcessingException e) {
      throw located(source, e, e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ProfileWireTranslator.fromWire(source, wire);
  }

  private static ProfileException located(String source, JsonProcessingException e, String why) {
    var loc = e.getLocation();
    if (loc != null && loc.getLineNr() > 0) {
      return new ProfileException(source + ":" + loc.getLineNr() + ":" + loc.getColumnNr(), why, e);
    }
    return new ProfileException(source, why, e);
  }

  private static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    List<JsonMappingException.Reference> refs = e.getPath();
    // The last reference of an unknown field is the field itself; the message names it.
    int end = e instanceof UnrecognizedPropertyException ? refs.size() - 1 : refs.size();
    for (int i = 0; i < end; i++) {
      JsonMappingException.Reference ref = refs.get(i);
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    return path.toString();
  }

  // ---- writing

  private static void inline(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{ ");
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        out.append(quote(f.getKey())).append(": ");
        inline(f.getValue(), out);
        out.append(fields.hasNext() ? ", " : " }");
      }
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        inline(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      out.append(quote(node.textValue()));
    } else {
      out.append(node.toString());
    }
  }

  private static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** Lets top-level {@code "x-*"} fields through; every other unknown field stays an error. */
  private static final class ExtensionFields extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      boolean topLevel = beanOrClass == ProfileWire.class || beanOrClass instanceof ProfileWire;
      if (topLevel && propertyName.startsWith("x-")) {
        p.skipChildren();
        return true;
      }
      return false;
    }
  }
}
