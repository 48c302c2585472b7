package io.kafkube.schemas.json;

import io.kafkube.schemas.avro.SchemaProps;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** The codec of each schema, built once and cached (codecs are immutable and thread-safe). */
final class Codecs {
  private static final Map<Schema, Codec> CACHE = new ConcurrentHashMap<>();
  /**
   * The same cache by identity, consulted first. {@code Schema.equals} is a deep comparison, and records read
   * from Kafka carry the registry's instance of a schema, not ours: an equality lookup of a Pod's schema walks
   * the whole schema on every conversion (a fifth of the API's CPU under load before this cache).
   */
  private static final Map<Identity, Codec> BY_IDENTITY = new ConcurrentHashMap<>();
  private static final int MAX_IDENTITIES = 10_000;

  private record Identity(Schema schema) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }

  private Codecs() {}

  static Codec of(Schema schema) {
    Identity id = new Identity(schema);
    Codec c = BY_IDENTITY.get(id);
    if (c != null) {
      return c;
    }
    c = byEquality(schema);
    if (BY_IDENTITY.size() >= MAX_IDENTITIES) {
      BY_IDENTITY.clear(); // schema instances that come and go (never in this code base) cannot grow it forever
    }
    BY_IDENTITY.put(id, c);
    return c;
  }

  private static Codec byEquality(Schema schema) {
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
