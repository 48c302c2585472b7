package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.Rec.s;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/** ConfigMaps and Secrets: keys, size, Secret types, {@code immutable}. */
final class ConfigValidation {
  /** Kubernetes' {@code MaxSecretSize} (also the ConfigMap limit). */
  static final int MAX_SIZE = 1024 * 1024;
  private static final String IMMUTABLE = "field is immutable when `immutable` is set";

  private ConfigValidation() {}

  static void validateConfigMap(GenericRecord cm, List<FieldError> errs) {
    Map<String, Object> data = new TreeMap<>(Rec.map(cm, "data"));
    Map<String, Object> binary = new TreeMap<>(Rec.map(cm, "binaryData"));
    long total = 0;
    for (Map.Entry<String, Object> e : data.entrySet()) {
      FieldPath p = FieldPath.of("data").key(e.getKey());
      for (String msg : IdentifierValidation.isConfigMapKey(e.getKey())) {
        errs.add(FieldError.invalid(p, e.getKey(), msg));
      }
      if (binary.containsKey(e.getKey())) {
        errs.add(FieldError.invalid(p, e.getKey(), "duplicate of key present in binaryData"));
      }
      total += size(e.getValue());
    }
    for (Map.Entry<String, Object> e : binary.entrySet()) {
      FieldPath p = FieldPath.of("binaryData").key(e.getKey());
      for (String msg : IdentifierValidation.isConfigMapKey(e.getKey())) {
        errs.add(FieldError.invalid(p, e.getKey(), msg));
      }
      if (data.containsKey(e.getKey())) {
        errs.add(FieldError.invalid(p, e.getKey(), "duplicate of key present in data"));
      }
      total += size(e.getValue());
    }
    if (total > MAX_SIZE) {
      errs.add(FieldError.tooLong(FieldPath.root(), MAX_SIZE));
    }
  }

  static void validateSecret(GenericRecord secret, List<FieldError> errs) {
    FieldPath dataPath = FieldPath.of("data");
    Map<String, Object> data = new TreeMap<>(Rec.map(secret, "data"));
    // stringData is merged into data by the API before storage; validate its keys the same way
    Map<String, Object> stringData = new TreeMap<>(Rec.map(secret, "stringData"));
    long total = 0;
    for (Map.Entry<String, Object> e : data.entrySet()) {
      for (String msg : IdentifierValidation.isConfigMapKey(e.getKey())) {
        errs.add(FieldError.invalid(dataPath.key(e.getKey()), e.getKey(), msg));
      }
      total += size(e.getValue());
    }
    for (Map.Entry<String, Object> e : stringData.entrySet()) {
      for (String msg : IdentifierValidation.isConfigMapKey(e.getKey())) {
        errs.add(FieldError.invalid(FieldPath.of("stringData").key(e.getKey()), e.getKey(), msg));
      }
      if (!data.containsKey(e.getKey())) {
        total += size(e.getValue());
      }
    }
    if (total > MAX_SIZE) {
      errs.add(FieldError.tooLong(dataPath, MAX_SIZE));
    }
    java.util.Set<String> keys = new java.util.HashSet<>(data.keySet());
    keys.addAll(stringData.keySet());
    switch (s(secret, "type")) {
      case "kubernetes.io/service-account-token" -> {
        if (Rec.stringMap(Rec.rec(secret, "metadata"), "annotations") == null
            || Rec.stringMap(Rec.rec(secret, "metadata"), "annotations").getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
          errs.add(FieldError.required(FieldPath.of("metadata", "annotations").key("kubernetes.io/service-account.name"), ""));
        }
      }
      case "kubernetes.io/dockercfg" -> requireKey(keys, ".dockercfg", dataPath, errs);
      case "kubernetes.io/dockerconfigjson" -> requireKey(keys, ".dockerconfigjson", dataPath, errs);
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          errs.add(FieldError.required(dataPath.key("username"), ""));
          errs.add(FieldError.required(dataPath.key("password"), ""));
        }
      }
      case "kubernetes.io/ssh-auth" -> requireKey(keys, "ssh-privatekey", dataPath, errs);
      case "kubernetes.io/tls" -> {
        requireKey(keys, "tls.crt", dataPath, errs);
        requireKey(keys, "tls.key", dataPath, errs);
      }
      default -> { } // Opaque and custom types
    }
  }

  private static void requireKey(java.util.Set<String> keys, String key, FieldPath dataPath, List<FieldError> errs) {
    if (!keys.contains(key)) {
      errs.add(FieldError.required(dataPath.key(key), ""));
    }
  }

  static void validateSecretUpdate(GenericRecord secret, GenericRecord old, List<FieldError> errs) {
    if (!s(secret, "type").equals(s(old, "type")) && Rec.has(secret, "type")) {
      errs.add(FieldError.invalid(FieldPath.of("type"), s(secret, "type"), Messages.FIELD_IMMUTABLE));
    }
    immutable(secret, old, List.of("data"), errs);
  }

  static void validateConfigMapUpdate(GenericRecord cm, GenericRecord old, List<FieldError> errs) {
    immutable(cm, old, List.of("data", "binaryData"), errs);
  }

  private static void immutable(GenericRecord now, GenericRecord old, List<String> fields, List<FieldError> errs) {
    if (!Rec.isTrue(old, "immutable")) {
      return;
    }
    if (!Rec.isTrue(now, "immutable")) {
      errs.add(FieldError.forbidden(FieldPath.of("immutable"), IMMUTABLE));
    }
    for (String f : fields) {
      if (!Rec.deepEquals(Rec.raw(now, f), Rec.raw(old, f))) {
        errs.add(FieldError.forbidden(FieldPath.of(f), IMMUTABLE));
      }
    }
  }

  private static long size(Object v) {
    if (v instanceof ByteBuffer b) {
      return b.remaining();
    }
    if (v instanceof byte[] b) {
      return b.length;
    }
    return v == null ? 0 : LabelValidation.utf8Length(v.toString());
  }
}
