package io.kafkube.schemas.validation;

import io.kafkube.schemas.meta.AvroPaths;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Null-tolerant reads and schema-aware writes on generic kind records. A field missing from the
 * schema reads as absent and is never written, so the code works on older and newer schemas.
 */
final class Rec {
  private Rec() {}

  static Object raw(GenericRecord r, String f) {
    return AvroPaths.value(r, f);
  }

  static boolean has(GenericRecord r, String f) {
    return raw(r, f) != null;
  }

  static GenericRecord rec(GenericRecord r, String f) {
    return AvroPaths.record(r, f);
  }

  /** A nested record by path, null when any step is absent. */
  static GenericRecord rec(GenericRecord r, String f, String... more) {
    GenericRecord c = rec(r, f);
    for (String m : more) {
      c = rec(c, m);
    }
    return c;
  }

  static String str(GenericRecord r, String f) {
    return AvroPaths.string(r, f);
  }

  /** A string, or "" when absent (Go's zero value). */
  static String s(GenericRecord r, String f) {
    String v = str(r, f);
    return v == null ? "" : v;
  }

  static Long num(GenericRecord r, String f) {
    return AvroPaths.longValue(r, f);
  }

  static Boolean bool(GenericRecord r, String f) {
    return raw(r, f) instanceof Boolean b ? b : null;
  }

  static boolean isTrue(GenericRecord r, String f) {
    return Boolean.TRUE.equals(bool(r, f));
  }

  static List<?> list(GenericRecord r, String f) {
    return raw(r, f) instanceof List<?> l ? l : List.of();
  }

  static List<GenericRecord> records(GenericRecord r, String f) {
    List<GenericRecord> out = new ArrayList<>();
    for (Object o : list(r, f)) {
      if (o instanceof GenericRecord g) {
        out.add(g);
      }
    }
    return out;
  }

  static List<String> strings(GenericRecord r, String f) {
    List<String> out = new ArrayList<>();
    for (Object o : list(r, f)) {
      out.add(o == null ? "" : o.toString());
    }
    return out;
  }

  /** A map field with string values, null when absent. */
  static Map<String, String> stringMap(GenericRecord r, String f) {
    if (!(raw(r, f) instanceof Map<?, ?> m)) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.toString(), v == null ? "" : v.toString()));
    return out;
  }

  /** A map field as is (keys as strings), empty when absent. */
  static Map<String, Object> map(GenericRecord r, String f) {
    if (!(raw(r, f) instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.toString(), v));
    return out;
  }

  /** The child record, created empty when absent; null when the schema has no such field. */
  static GenericRecord child(GenericRecord r, String f) {
    Schema.Field field = AvroPaths.field(r, f);
    Schema s = field == null ? null : AvroPaths.nonNull(field.schema());
    if (s == null || s.getType() != Schema.Type.RECORD) {
      return null;
    }
    if (r.get(field.pos()) instanceof GenericRecord c) {
      return c;
    }
    GenericRecord c = new GenericData.Record(s);
    r.put(field.pos(), c);
    return c;
  }

  /** Sets {@code f} when absent (null, or "" for strings); numbers are coerced to the field's int/long. */
  static boolean setIfAbsent(GenericRecord r, String f, Object value) {
    Schema.Field field = AvroPaths.field(r, f);
    if (field == null) {
      return false;
    }
    Object cur = r.get(field.pos());
    if (cur != null && !(cur instanceof CharSequence cs && cs.length() == 0)) {
      return false;
    }
    r.put(field.pos(), coerce(AvroPaths.nonNull(field.schema()), value));
    return true;
  }

  /** Sets {@code f} unconditionally (coercing numbers); no-op when the schema has no such field. */
  static void set(GenericRecord r, String f, Object value) {
    Schema.Field field = AvroPaths.field(r, f);
    if (field != null) {
      r.put(field.pos(), coerce(AvroPaths.nonNull(field.schema()), value));
    }
  }

  private static Object coerce(Schema s, Object value) {
    if (value instanceof Number n) {
      Schema.Type t = s.getType();
      if (t == Schema.Type.UNION) {
        for (Schema b : s.getTypes()) {
          if (b.getType() == Schema.Type.INT) {
            return n.intValue();
          }
        }
        return n;
      }
      return switch (t) {
        case INT -> n.intValue();
        case LONG -> n.longValue();
        case DOUBLE -> n.doubleValue();
        case FLOAT -> n.floatValue();
        default -> n;
      };
    }
    return value;
  }

  /**
   * Kubernetes' semantic equality: numbers by value, strings by content, maps unordered, and an
   * absent list/map/string equal to an empty one (Go's nil and empty compare equal there).
   */
  static boolean deepEquals(Object a, Object b) {
    if (isEmpty(a) && isEmpty(b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof CharSequence x && b instanceof CharSequence y) {
      return x.toString().equals(y.toString());
    }
    if (a instanceof Number x && b instanceof Number y) {
      return x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float
          ? x.doubleValue() == y.doubleValue() : x.longValue() == y.longValue();
    }
    if (a instanceof GenericRecord x && b instanceof GenericRecord y) {
      if (!x.getSchema().getFullName().equals(y.getSchema().getFullName())) {
        return false;
      }
      for (Schema.Field f : x.getSchema().getFields()) {
        if (!deepEquals(x.get(f.pos()), raw(y, f.name()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      Map<String, Object> mx = new LinkedHashMap<>();
      x.forEach((k, v) -> mx.put(k.toString(), v));
      Map<String, Object> my = new LinkedHashMap<>();
      y.forEach((k, v) -> my.put(k.toString(), v));
      if (!mx.keySet().equals(my.keySet())) {
        return false;
      }
      for (Map.Entry<String, Object> e : mx.entrySet()) {
        if (!deepEquals(e.getValue(), my.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ByteBuffer x && b instanceof ByteBuffer y) {
      return x.duplicate().rewind().equals(y.duplicate().rewind());
    }
    return a.equals(b);
  }

  private static boolean isEmpty(Object o) {
    return o == null
        || o instanceof CharSequence cs && cs.length() == 0
        || o instanceof Collection<?> c && c.isEmpty()
        || o instanceof Map<?, ?> m && m.isEmpty();
  }

  /** Every element of {@code old} is present in {@code now}. */
  static boolean containsAll(List<?> now, List<?> old) {
    outer:
    for (Object o : old) {
      for (Object n : now) {
        if (deepEquals(o, n)) {
          continue outer;
        }
      }
      return false;
    }
    return true;
  }
}
