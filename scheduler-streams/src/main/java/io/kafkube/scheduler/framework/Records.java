package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** Reading lists and maps out of generic Avro kind records. */
final class Records {
  private Records() {}

  static List<GenericRecord> records(GenericRecord r, String field) {
    if (r == null || !AvroPaths.hasField(r, field) || !(r.get(field) instanceof List<?> l)) {
      return List.of();
    }
    List<GenericRecord> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (o instanceof GenericRecord g) {
        out.add(g);
      }
    }
    return out;
  }

  static List<String> strings(GenericRecord r, String field) {
    if (r == null || !AvroPaths.hasField(r, field) || !(r.get(field) instanceof List<?> l)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (o != null) {
        out.add(o.toString());
      }
    }
    return out;
  }

  static Map<String, String> stringMap(GenericRecord r, String field) {
    if (r == null || !AvroPaths.hasField(r, field) || !(r.get(field) instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() != null) {
        out.put(e.getKey().toString(), e.getValue().toString());
      }
    }
    return out;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
