package io.kafkube.schemas.meta;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads and writes {@code metadata} (ObjectMeta) of a kind record held as a generic Avro record.
 * Times are epoch milliseconds, as the schemas store {@code meta.v1.Time}.
 */
public final class Meta {
  public static final String METADATA = "metadata";

  private Meta() {}

  public static GenericRecord metadata(GenericRecord obj) {
    return AvroPaths.record(obj, METADATA);
  }

  public static GenericRecord metadataOrCreate(GenericRecord obj) {
    return AvroPaths.recordOrCreate(obj, METADATA);
  }

  public static String name(GenericRecord obj) {
    return AvroPaths.string(metadata(obj), "name");
  }

  public static String generateName(GenericRecord obj) {
    return AvroPaths.string(metadata(obj), "generateName");
  }

  public static String namespace(GenericRecord obj) {
    return AvroPaths.string(metadata(obj), "namespace");
  }

  public static String uid(GenericRecord obj) {
    return AvroPaths.string(metadata(obj), "uid");
  }

  public static String resourceVersion(GenericRecord obj) {
    return AvroPaths.string(metadata(obj), "resourceVersion");
  }

  public static Long generation(GenericRecord obj) {
    return AvroPaths.longValue(metadata(obj), "generation");
  }

  public static Long creationTimestamp(GenericRecord obj) {
    return AvroPaths.longValue(metadata(obj), "creationTimestamp");
  }

  public static Long deletionTimestamp(GenericRecord obj) {
    return AvroPaths.longValue(metadata(obj), "deletionTimestamp");
  }

  public static Long deletionGracePeriodSeconds(GenericRecord obj) {
    return AvroPaths.longValue(metadata(obj), "deletionGracePeriodSeconds");
  }

  public static void set(GenericRecord obj, String field, Object value) {
    metadataOrCreate(obj).put(field, value);
  }

  /** Labels as a plain map (empty when absent). */
  public static Map<String, String> labels(GenericRecord obj) {
    return stringMap(metadata(obj), "labels");
  }

  /** Annotations as a plain map (empty when absent). */
  public static Map<String, String> annotations(GenericRecord obj) {
    return stringMap(metadata(obj), "annotations");
  }

  /** Finalizers (empty when absent). */
  public static List<String> finalizers(GenericRecord obj) {
    GenericRecord m = metadata(obj);
    if (m == null || m.get("finalizers") == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) m.get("finalizers")) {
      out.add(o.toString());
    }
    return out;
  }

  static Map<String, String> stringMap(GenericRecord r, String field) {
    if (r == null || r.get(field) == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) r.get(field)).entrySet()) {
      out.put(e.getKey().toString(), e.getValue() == null ? null : e.getValue().toString());
    }
    return out;
  }
}
