package io.kafkube.schemas.json;

import io.kafkube.schemas.avro.SchemaProps;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** The codec of each schema, built once and cached (codecs are immutable and thread-safe). */
final class Codecs {
  private static final Map<Schema, Codec> CACHE = new ConcurrentHashMap<>();

  private Codecs() {}

  static Codec of(Schema schema) {
    Codec c = CACHE.get(schema);
    if (c != null) {
      return c;
    }
    // not computeIfAbsent: building a record's codec may look up other (recursive) schemas
    c = create(schema);
    Codec raced = CACHE.putIfAbsent(schema, c);
    return raced != null ? raced : c;
  }

  static RecordCodec record(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("not a record schema: " + schema.getFullName());
    }
    return (RecordCodec) of(schema);
  }

  private static Codec create(Schema schema) {
    String k8sType = schema.getProp(SchemaProps.TYPE);
    if (k8sType != null) {
      switch (k8sType) {
        case SchemaProps.QUANTITY:
          return KubeCodecs.QUANTITY;
        case SchemaProps.TIME:
          return KubeCodecs.TIME;
        case SchemaProps.MICRO_TIME:
          return KubeCodecs.MICRO_TIME;
        case SchemaProps.JSON:
          return KubeCodecs.JSON;
        case SchemaProps.DURATION:
        case SchemaProps.INT_OR_STRING: // the string branch; the union picks it for JSON strings
          return ScalarCodecs.STRING;
        default:
          throw new IllegalArgumentException("unknown " + SchemaProps.TYPE + " " + k8sType);
      }
    }
    return switch (schema.getType()) {
      case RECORD -> new RecordCodec(schema);
      case UNION -> UnionCodec.of(schema);
      case ARRAY -> new CollectionCodecs.ArrayCodec(schema);
      case MAP -> new CollectionCodecs.MapCodec(schema);
      case ENUM -> new ScalarCodecs.EnumCodec(schema);
      case STRING -> ScalarCodecs.STRING;
      case INT -> ScalarCodecs.INT;
      case LONG -> ScalarCodecs.LONG;
      case BOOLEAN -> ScalarCodecs.BOOLEAN;
      case DOUBLE -> ScalarCodecs.DOUBLE;
      case FLOAT -> ScalarCodecs.FLOAT;
      case BYTES -> ScalarCodecs.BYTES;
      case NULL, FIXED -> throw new IllegalArgumentException(
          "no Kubernetes JSON form for Avro " + schema.getType() + " (" + schema + ")");
    };
  }
}
