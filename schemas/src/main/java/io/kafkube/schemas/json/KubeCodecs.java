package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Codecs of the apimachinery types whose JSON form is not an object (schema property k8s.type). */
final class KubeCodecs {
  private KubeCodecs() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The syntax resource.ParseQuantity accepts: number, then a binary-SI, decimal-SI or exponent suffix. */
  private static final Pattern QUANTITY_SYNTAX = Pattern.compile(
      "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");

  /** Quantity: a string; a JSON number (YAML {@code cpu: 1}) is stored as its string form. */
  static final Codec QUANTITY = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      String s;
      if (json.isTextual()) {
        s = json.textValue();
      } else if (json.isIntegralNumber()) {
        s = json.bigIntegerValue().toString();
      } else if (json.isNumber()) {
        s = json.decimalValue().stripTrailingZeros().toPlainString();
      } else {
        ctx.invalid(json, "a quantity (a string such as \"500m\" or \"1Gi\", or a number)");
        return null;
      }
      if (!QUANTITY_SYNTAX.matcher(s).matches()) {
        ctx.invalid(json, "a quantity (quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$')");
        return null;
      }
      return s;
    }

    @Override
    public JsonNode toJson(Object avro) {
      return TextNode.valueOf(avro.toString());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeString(avro.toString());
    }
  };

  private static final DateTimeFormatter RFC3339_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC3339_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** meta.v1.Time: epoch millis in Avro, RFC3339 with second precision in JSON (as Kubernetes). */
  static final Codec TIME = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      Instant t = parseTime(json, ctx);
      return t == null ? null : t.getEpochSecond() * 1000L; // Kubernetes keeps whole seconds
    }

    @Override
    public JsonNode toJson(Object avro) {
      Instant t = avro instanceof Instant i ? i : Instant.ofEpochMilli(((Number) avro).longValue());
      return TextNode.valueOf(RFC3339_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS)));
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeString(toJson(avro).textValue());
    }
  };

  /** meta.v1.MicroTime: epoch micros in Avro, RFC3339 with 6 fraction digits in JSON. */
  static final Codec MICRO_TIME = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      Instant t = parseTime(json, ctx);
      return t == null ? null : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    @Override
    public JsonNode toJson(Object avro) {
      Instant t;
      if (avro instanceof Instant i) {
        t = i;
      } else {
        long micros = ((Number) avro).longValue();
        t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
      }
      return TextNode.valueOf(RFC3339_MICROS.format(t));
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeString(toJson(avro).textValue());
    }
  };

  private static Instant parseTime(JsonNode json, Context ctx) {
    if (json.isTextual()) {
      try {
        return OffsetDateTime.parse(json.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    ctx.invalid(json, "an RFC3339 time such as \"2024-05-01T10:00:00Z\"");
    return null;
  }

  /** RawExtension, FieldsV1, JSON: any JSON value, kept as compact JSON text in Avro. */
  static final Codec JSON = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      try {
        return MAPPER.writeValueAsString(json);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot print a JSON tree", e);
      }
    }

    @Override
    public JsonNode toJson(Object avro) {
      try {
        return MAPPER.readTree(avro.toString());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("stored embedded JSON is malformed: " + e.getOriginalMessage(), e);
      }
    }

    /** Token by token from the stored text to the output: the same JSON as {@link #toJson}, without the tree. */
    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      try (JsonParser p = MAPPER.getFactory().createParser(avro.toString())) {
        if (p.nextToken() == null) {
          throw new IllegalArgumentException("stored embedded JSON is empty");
        }
        out.copyCurrentStructure(p);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("stored embedded JSON is malformed: " + e.getOriginalMessage(), e);
      }
    }
  };
}
