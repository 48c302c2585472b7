package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.SchemaProps;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A record as a JSON object with the record's fields, in schema order. A kind record (schema
 * properties {@code k8s.kind}, {@code k8s.apiVersion}) also has {@code apiVersion} and
 * {@code kind}: checked on input, written first on output.
 */
final class RecordCodec implements Codec {
  static final String API_VERSION = "apiVersion";
  static final String KIND = "kind";

  private record FieldInfo(String name, int pos, Codec codec, boolean nullable, Schema.Field field,
      boolean fillDefault) {}

  private final Schema schema;
  private final String kind;
  private final String apiVersion;
  private volatile FieldInfo[] fields; // built on first use: recursive schemas refer back to this codec
  private volatile Map<String, FieldInfo> byName;

  RecordCodec(Schema schema) {
    this.schema = schema;
    this.kind = schema.getProp(SchemaProps.KIND);
    this.apiVersion = schema.getProp(SchemaProps.API_VERSION);
  }

  private FieldInfo[] fields() {
    FieldInfo[] f = fields;
    if (f == null) {
      f = new FieldInfo[schema.getFields().size()];
      Map<String, FieldInfo> names = new HashMap<>(f.length * 2);
      for (Schema.Field field : schema.getFields()) {
        boolean nullable = field.schema().getType() == Schema.Type.UNION
            && field.schema().getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
        boolean fillDefault = field.hasDefaultValue() && field.defaultVal() != JsonProperties.NULL_VALUE;
        FieldInfo info = new FieldInfo(field.name(), field.pos(), Codecs.of(field.schema()), nullable, field,
            fillDefault);
        f[field.pos()] = info;
        names.put(field.name(), info);
      }
      byName = names;
      fields = f;
    }
    return f;
  }

  @Override
  public GenericData.Record toAvro(JsonNode json, Context ctx) {
    if (!json.isObject()) {
      ctx.invalid(json, "an object");
      return null;
    }
    FieldInfo[] all = fields();
    Map<String, FieldInfo> names = byName;
    GenericData.Record record = new GenericData.Record(schema);
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode value = e.getValue();
      int mark = ctx.pushField(name);
      FieldInfo info = names.get(name);
      if (info != null) {
        if (!value.isNull()) {
          Object v = info.codec.toAvro(value, ctx);
          if (v != null) {
            record.put(info.pos, v);
          }
        } else if (!info.nullable && !info.fillDefault) {
          ctx.problem(FieldProblem.Type.INVALID_TYPE, "Invalid value: null: must not be null");
        }
      } else if (kind != null && (name.equals(API_VERSION) || name.equals(KIND))) {
        checkTypeMeta(name, value, ctx);
      } else {
        ctx.unknownField();
      }
      ctx.reset(mark);
    }
    for (FieldInfo info : all) {
      if (info.fillDefault && record.get(info.pos) == null) {
        record.put(info.pos, GenericData.get().deepCopy(info.field.schema(), GenericData.get().getDefaultValue(info.field)));
      }
    }
    return record;
  }

  private void checkTypeMeta(String name, JsonNode value, Context ctx) {
    if (value.isNull()) {
      return;
    }
    if (!value.isTextual()) {
      ctx.invalid(value, "a string");
      return;
    }
    String given = value.textValue();
    if (name.equals(API_VERSION) && !given.equals(apiVersion)) {
      ctx.problem(FieldProblem.Type.INVALID_VALUE, "the API version in the data (" + given
          + ") does not match the expected API version (" + apiVersion + ")");
    } else if (name.equals(KIND) && !given.equals(kind)) {
      ctx.problem(FieldProblem.Type.INVALID_VALUE, "the kind in the data (" + given
          + ") does not match the expected kind (" + kind + ")");
    }
  }

  @Override
  public ObjectNode toJson(Object avro) {
    GenericRecord record = (GenericRecord) avro;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (kind != null) {
      out.put(API_VERSION, apiVersion);
      out.put(KIND, kind);
    }
    for (FieldInfo info : fields()) {
      Object v = record.get(info.pos);
      if (v != null) {
        out.set(info.name, info.codec.toJson(v));
      }
    }
    return out;
  }

  @Override
  public void write(Object avro, JsonGenerator out) throws IOException {
    GenericRecord record = (GenericRecord) avro;
    out.writeStartObject();
    if (kind != null) {
      out.writeStringField(API_VERSION, apiVersion);
      out.writeStringField(KIND, kind);
    }
    for (FieldInfo info : fields()) {
      Object v = record.get(info.pos);
      if (v != null) {
        out.writeFieldName(info.name);
        info.codec.write(v, out);
      }
    }
    out.writeEndObject();
  }
}
