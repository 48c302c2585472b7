package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Codecs of the Avro primitive types and enums. */
final class ScalarCodecs {
  private ScalarCodecs() {}

  static final Codec STRING = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isTextual()) {
        ctx.invalid(json, "a string");
        return null;
      }
      return json.textValue();
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

  static final Codec INT = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isIntegralNumber()) {
        ctx.invalid(json, "an integer");
        return null;
      }
      if (!json.canConvertToInt()) {
        ctx.invalid(json, "an integer in the int32 range");
        return null;
      }
      return json.intValue();
    }

    @Override
    public JsonNode toJson(Object avro) {
      return IntNode.valueOf(((Number) avro).intValue());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeNumber(((Number) avro).intValue());
    }
  };

  static final Codec LONG = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isIntegralNumber()) {
        ctx.invalid(json, "an integer");
        return null;
      }
      if (!json.canConvertToLong()) {
        ctx.invalid(json, "an integer in the int64 range");
        return null;
      }
      return json.longValue();
    }

    @Override
    public JsonNode toJson(Object avro) {
      return LongNode.valueOf(((Number) avro).longValue());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeNumber(((Number) avro).longValue());
    }
  };

  static final Codec BOOLEAN = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isBoolean()) {
        ctx.invalid(json, "a boolean");
        return null;
      }
      return json.booleanValue();
    }

    @Override
    public JsonNode toJson(Object avro) {
      return BooleanNode.valueOf((Boolean) avro);
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeBoolean((Boolean) avro);
    }
  };

  static final Codec DOUBLE = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isNumber()) {
        ctx.invalid(json, "a number");
        return null;
      }
      return json.doubleValue();
    }

    @Override
    public JsonNode toJson(Object avro) {
      return DoubleNode.valueOf(((Number) avro).doubleValue());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeNumber(((Number) avro).doubleValue());
    }
  };

  static final Codec FLOAT = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isNumber()) {
        ctx.invalid(json, "a number");
        return null;
      }
      return json.floatValue();
    }

    @Override
    public JsonNode toJson(Object avro) {
      return FloatNode.valueOf(((Number) avro).floatValue());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeNumber(((Number) avro).floatValue());
    }
  };

  /** Bytes are standard base64 with padding in Kubernetes JSON (Go's []byte). */
  static final Codec BYTES = new Codec() {
    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isTextual()) {
        ctx.invalid(json, "a base64-encoded string");
        return null;
      }
      String s = json.textValue();
      if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        s = s.replace("\r", "").replace("\n", ""); // Go's decoder ignores line breaks too
      }
      try {
        return ByteBuffer.wrap(Base64.getDecoder().decode(s));
      } catch (IllegalArgumentException e) {
        ctx.invalid(json, "a base64-encoded string (" + e.getMessage() + ")");
        return null;
      }
    }

    @Override
    public JsonNode toJson(Object avro) {
      return TextNode.valueOf(base64(avro));
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeString(base64(avro));
    }

    private static String base64(Object avro) {
      byte[] bytes;
      if (avro instanceof ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        bytes = new byte[d.remaining()];
        d.get(bytes);
      } else {
        bytes = (byte[]) avro;
      }
      return Base64.getEncoder().encodeToString(bytes);
    }
  };

  static final class EnumCodec implements Codec {
    private final Schema schema;
    private final Set<String> symbols;

    EnumCodec(Schema schema) {
      this.schema = schema;
      this.symbols = new HashSet<>(schema.getEnumSymbols());
    }

    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isTextual() || !symbols.contains(json.textValue())) {
        ctx.invalid(json, "one of " + schema.getEnumSymbols());
        return null;
      }
      return new GenericData.EnumSymbol(schema, json.textValue());
    }

    @Override
    public JsonNode toJson(Object avro) {
      return TextNode.valueOf(avro.toString());
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      out.writeString(avro.toString());
    }
  }
}
