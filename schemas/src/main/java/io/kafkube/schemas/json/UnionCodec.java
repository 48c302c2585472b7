package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.avro.SchemaProps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Unions. {@code ["null", T]} (every optional field) delegates to T's codec; JSON null never
 * reaches a codec (it means absent). Wider unions pick the branch from the JSON value's type:
 * {@code ["null","int",string]} is IntOrString; a union of kind records (the envelopes' KINDS)
 * picks the record whose {@code k8s.apiVersion}/{@code k8s.kind} the object names.
 */
final class UnionCodec implements Codec {
  private final Schema union;
  private final List<Schema> branches = new ArrayList<>();
  private final String expected;

  private UnionCodec(Schema union) {
    this.union = union;
    for (Schema b : union.getTypes()) {
      if (b.getType() != Schema.Type.NULL) {
        branches.add(b);
      }
    }
    this.expected = describe(branches);
  }

  static Codec of(Schema union) {
    List<Schema> nonNull = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    if (nonNull.size() == 1) {
      Schema only = nonNull.get(0);
      return new Codec() { // resolves lazily: the branch may be a record still being built
        private volatile Codec codec;

        private Codec codec() {
          Codec c = codec;
          if (c == null) {
            c = Codecs.of(only);
            codec = c;
          }
          return c;
        }

        @Override
        public Object toAvro(JsonNode json, Context ctx) {
          return codec().toAvro(json, ctx);
        }

        @Override
        public JsonNode toJson(Object avro) {
          return codec().toJson(avro);
        }

        @Override
        public void write(Object avro, JsonGenerator out) throws IOException {
          codec().write(avro, out);
        }
      };
    }
    return new UnionCodec(union);
  }

  @Override
  public Object toAvro(JsonNode json, Context ctx) {
    Schema branch = select(json);
    if (branch == null) {
      ctx.invalid(json, expected);
      return null;
    }
    return Codecs.of(branch).toAvro(json, ctx);
  }

  @Override
  public JsonNode toJson(Object avro) {
    return branch(avro).toJson(avro);
  }

  @Override
  public void write(Object avro, JsonGenerator out) throws IOException {
    branch(avro).write(avro, out);
  }

  private Codec branch(Object avro) {
    return Codecs.of(union.getTypes().get(GenericData.get().resolveUnion(union, avro)));
  }

  private Schema select(JsonNode json) {
    switch (json.getNodeType()) {
      case STRING:
        return first(Schema.Type.STRING, Schema.Type.ENUM, Schema.Type.BYTES);
      case NUMBER:
        return json.isIntegralNumber()
            ? first(Schema.Type.INT, Schema.Type.LONG, Schema.Type.DOUBLE, Schema.Type.FLOAT)
            : first(Schema.Type.DOUBLE, Schema.Type.FLOAT);
      case BOOLEAN:
        return first(Schema.Type.BOOLEAN);
      case ARRAY:
        return first(Schema.Type.ARRAY);
      case OBJECT:
        return selectObject(json);
      default:
        return null;
    }
  }

  private Schema selectObject(JsonNode json) {
    JsonNode apiVersion = json.get("apiVersion");
    JsonNode kind = json.get("kind");
    Schema untyped = null;
    int records = 0;
    for (Schema b : branches) {
      if (b.getType() != Schema.Type.RECORD) {
        continue;
      }
      records++;
      String k = b.getProp(SchemaProps.KIND);
      if (k == null) {
        untyped = untyped == null ? b : untyped;
      } else if (kind != null && k.equals(kind.asText())
          && apiVersion != null && apiVersion.asText().equals(b.getProp(SchemaProps.API_VERSION))) {
        return b;
      }
    }
    if (kind == null && untyped != null) {
      return untyped;
    }
    if (records == 1 && untyped != null) {
      return untyped;
    }
    return records == 0 ? first(Schema.Type.MAP) : null;
  }

  private Schema first(Schema.Type... types) {
    for (Schema.Type t : types) {
      for (Schema b : branches) {
        if (b.getType() == t) {
          return b;
        }
      }
    }
    return null;
  }

  private static String describe(List<Schema> branches) {
    List<String> names = new ArrayList<>();
    for (Schema b : branches) {
      String n = switch (b.getType()) {
        case STRING -> "a string";
        case INT, LONG -> "an integer";
        case DOUBLE, FLOAT -> "a number";
        case BOOLEAN -> "a boolean";
        case ARRAY -> "an array";
        case MAP -> "an object";
        case BYTES -> "a base64-encoded string";
        case ENUM -> "one of " + b.getEnumSymbols();
        case RECORD -> b.getProp(SchemaProps.KIND) != null
            ? "an object of kind " + b.getProp(SchemaProps.API_VERSION) + "/" + b.getProp(SchemaProps.KIND)
            : "an object";
        default -> b.getType().getName();
      };
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return String.join(" or ", names);
  }
}
