package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Arrays (JSON lists) and maps (JSON objects with arbitrary keys, e.g. labels). */
final class CollectionCodecs {
  private CollectionCodecs() {}

  /**
   * A JSON null element: Go decodes it to the zero value, which for strings is {@code ""}
   * ({@code annotations: {a: }} in YAML). Other null elements are reported.
   */
  private static Object nullElement(Schema element, Context ctx) {
    if (element.getType() == Schema.Type.STRING) {
      return "";
    }
    ctx.problem(FieldProblem.Type.INVALID_TYPE, "Invalid value: null: must not be null");
    return null;
  }

  static final class ArrayCodec implements Codec {
    private final Schema schema;
    private final Schema element;
    private volatile Codec elementCodec;

    ArrayCodec(Schema schema) {
      this.schema = schema;
      this.element = schema.getElementType();
    }

    private Codec elements() {
      Codec c = elementCodec;
      if (c == null) {
        c = Codecs.of(element);
        elementCodec = c;
      }
      return c;
    }

    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isArray()) {
        ctx.invalid(json, "an array");
        return null;
      }
      Codec codec = elements();
      GenericData.Array<Object> out = new GenericData.Array<>(json.size(), schema);
      for (int i = 0; i < json.size(); i++) {
        JsonNode item = json.get(i);
        int mark = ctx.pushIndex(i);
        Object v = item.isNull() ? nullElement(element, ctx) : codec.toAvro(item, ctx);
        if (v != null) {
          out.add(v);
        }
        ctx.reset(mark);
      }
      return out;
    }

    @Override
    public JsonNode toJson(Object avro) {
      Codec codec = elements();
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (Object item : (Iterable<?>) avro) {
        out.add(codec.toJson(item));
      }
      return out;
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      Codec codec = elements();
      out.writeStartArray();
      for (Object item : (Iterable<?>) avro) {
        codec.write(item, out);
      }
      out.writeEndArray();
    }
  }

  static final class MapCodec implements Codec {
    private final Schema value;
    private volatile Codec valueCodec;

    MapCodec(Schema schema) {
      this.value = schema.getValueType();
    }

    private Codec values() {
      Codec c = valueCodec;
      if (c == null) {
        c = Codecs.of(value);
        valueCodec = c;
      }
      return c;
    }

    @Override
    public Object toAvro(JsonNode json, Context ctx) {
      if (!json.isObject()) {
        ctx.invalid(json, "an object");
        return null;
      }
      Codec codec = values();
      Map<String, Object> out = new HashMap<>(Math.max(4, json.size() * 2));
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int mark = ctx.pushKey(e.getKey());
        Object v = e.getValue().isNull() ? nullElement(value, ctx) : codec.toAvro(e.getValue(), ctx);
        if (v != null) {
          out.put(e.getKey(), v);
        }
        ctx.reset(mark);
      }
      return out;
    }

    /** Keys sorted, as Go's encoder prints maps. */
    @Override
    public JsonNode toJson(Object avro) {
      Codec codec = values();
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, Object> e : sorted(avro).entrySet()) {
        out.set(e.getKey(), codec.toJson(e.getValue()));
      }
      return out;
    }

    @Override
    public void write(Object avro, JsonGenerator out) throws IOException {
      Codec codec = values();
      out.writeStartObject();
      for (Map.Entry<String, Object> e : sorted(avro).entrySet()) {
        out.writeFieldName(e.getKey());
        codec.write(e.getValue(), out);
      }
      out.writeEndObject();
    }

    private static Map<String, Object> sorted(Object avro) {
      Map<String, Object> byKey = new TreeMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) avro).entrySet()) {
        byKey.put(e.getKey().toString(), e.getValue()); // keys may be Utf8
      }
      return byKey;
    }
  }
}
