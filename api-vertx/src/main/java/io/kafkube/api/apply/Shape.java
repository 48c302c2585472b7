package io.kafkube.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.patch.PatchMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * How structured-merge-diff treats a position of an object, derived from the kind's Avro schema and
 * the strategic-merge metadata ({@link PatchMeta}): a struct (Avro record) or a granular map is
 * merged field by field; a list with a patch merge key is an associative list keyed by it (as
 * {@code x-kubernetes-list-type: map}); a merge list of primitives is a set; every other list, a
 * scalar, and the structs Kubernetes marks {@code x-kubernetes-map-type: atomic} are atomic.
 */
public final class Shape {
  /** The kinds of position. */
  public enum Kind { STRUCT, MAP, ASSOCIATIVE, SET, ATOMIC }

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  /** Structs Kubernetes declares {@code +structType=atomic}. */
  private static final Set<String> ATOMIC_STRUCTS = Set.of(META + "LabelSelector",
      META + "LabelSelectorRequirement", CORE + "NodeSelector", CORE + "LocalObjectReference",
      CORE + "ConfigMapKeySelector", CORE + "SecretKeySelector", CORE + "ObjectFieldSelector",
      CORE + "ResourceFieldSelector", CORE + "TypedLocalObjectReference", CORE + "ObjectReference");
  /**
   * Associative lists whose {@code x-kubernetes-list-map-keys} are more than the strategic merge key
   * (keyed by record full name + field).
   */
  private static final Map<String, List<String>> LIST_MAP_KEYS = Map.of(
      CORE + "Container.ports", List.of("containerPort", "protocol"),
      CORE + "EphemeralContainer.ports", List.of("containerPort", "protocol"),
      CORE + "ServiceSpec.ports", List.of("port", "protocol"));
  /** Key fields with a default, filled in when an item omits them (as the schema defaults them). */
  private static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

  /** A position nothing is known about: atomic. */
  public static final Shape UNKNOWN = new Shape(Kind.ATOMIC, null, null, List.of());

  private final Kind kind;
  private final Schema schema;
  private final Schema element;
  private final List<String> keys;
  /**
   * The shapes of this struct's fields, made once: every write's field bookkeeping walks the same
   * shapes. Only the schema's fields are kept, so the map is bounded whatever the objects hold.
   */
  private final Map<String, Shape> fields = new ConcurrentHashMap<>();
  /** The shape of this map's values or of this list's items, made on first use (a benign race). */
  private Shape member;

  private Shape(Kind kind, Schema schema, Schema element, List<String> keys) {
    this.kind = kind;
    this.schema = schema;
    this.element = element;
    this.keys = keys;
  }

  /** The shape of a whole object of the kind whose record is {@code kindRecord}. */
  public static Shape root(Schema kindRecord) {
    return ofValue(kindRecord);
  }

  public Kind kind() {
    return kind;
  }

  public List<String> keys() {
    return keys;
  }

  /** The shape of a field of a struct, or of an entry of a map. */
  public Shape child(String field) {
    if (kind == Kind.MAP) {
      Shape m = member;
      return m != null ? m : (member = ofValue(schema.getValueType()));
    }
    if (kind != Kind.STRUCT) {
      return UNKNOWN;
    }
    Shape known = fields.get(field);
    if (known != null) {
      return known;
    }
    Schema.Field f = schema.getField(field);
    if (f == null) {
      return UNKNOWN;
    }
    Shape made = fieldShape(f);
    fields.put(field, made);
    return made;
  }

  private Shape fieldShape(Schema.Field f) {
    String field = f.name();
    Schema s = nonNull(f.schema());
    if (s != null && s.getType() == Schema.Type.ARRAY) {
      String at = schema.getFullName() + "." + field;
      PatchMeta meta = PatchMeta.of(schema.getFullName(), field).orElse(null);
      Schema elem = nonNull(s.getElementType());
      if (meta != null && meta.merges() && meta.mergeKey() != null && elem != null
          && elem.getType() == Schema.Type.RECORD) {
        return new Shape(Kind.ASSOCIATIVE, s, elem, LIST_MAP_KEYS.getOrDefault(at, List.of(meta.mergeKey())));
      }
      if (meta != null && meta.merges() && meta.mergeKey() == null) {
        return new Shape(Kind.SET, s, elem, List.of());
      }
      return new Shape(Kind.ATOMIC, s, elem, List.of());
    }
    return ofValue(f.schema());
  }

  /** The shape of the items of an associative list. */
  public Shape item() {
    if (kind != Kind.ASSOCIATIVE) {
      return UNKNOWN;
    }
    Shape m = member;
    return m != null ? m : (member = ofValue(element));
  }

  /**
   * The key of an item of an associative list ({@code {"name":"web"}}), key fields with defaults
   * filled in; null when the item is not an object or lacks a key without default.
   */
  public ObjectNode keyOf(JsonNode item) {
    if (!item.isObject()) {
      return null;
    }
    ObjectNode k = PathElement.MAPPER.createObjectNode();
    for (String f : keys) {
      JsonNode v = item.get(f);
      if (v == null || v.isNull()) {
        String d = KEY_DEFAULTS.get(f);
        if (d == null) {
          return null;
        }
        k.put(f, d);
      } else {
        k.set(f, v);
      }
    }
    return k;
  }

  /** Whether a JSON value fits this shape's structure (an object for structs and maps, an array for lists). */
  public boolean fits(JsonNode v) {
    return switch (kind) {
      case STRUCT, MAP -> v.isObject();
      case ASSOCIATIVE, SET -> v.isArray();
      case ATOMIC -> true;
    };
  }

  private static Shape ofValue(Schema schema) {
    Schema s = nonNull(schema);
    if (s == null) {
      return UNKNOWN;
    }
    return switch (s.getType()) {
      case RECORD -> ATOMIC_STRUCTS.contains(s.getFullName()) ? new Shape(Kind.ATOMIC, s, null, List.of())
          : new Shape(Kind.STRUCT, s, null, List.of());
      case MAP -> new Shape(Kind.MAP, s, null, List.of());
      default -> new Shape(Kind.ATOMIC, s, null, List.of());
    };
  }

  private static Schema nonNull(Schema s) {
    if (s == null || s.getType() != Schema.Type.UNION) {
      return s;
    }
    Schema found = null;
    for (Schema t : s.getTypes()) {
      if (t.getType() != Schema.Type.NULL) {
        if (found != null) {
          return null;
        }
        found = t;
      }
    }
    return found;
  }
}
