package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;

/** A pod's toleration, and whether it tolerates a taint (Kubernetes' {@code ToleratesTaint}). */
public record Toleration(String key, String operator, String value, String effect) {

  public boolean tolerates(Taint taint) {
    if (!Records.isEmpty(effect) && !effect.equals(taint.effect())) {
      return false;
    }
    if (!Records.isEmpty(key) && !key.equals(taint.key())) {
      return false;
    }
    String op = Records.isEmpty(operator) ? "Equal" : operator;
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> nullToEmpty(value).equals(nullToEmpty(taint.value()));
      default -> false;
    };
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static Toleration of(GenericRecord r) {
    return new Toleration(AvroPaths.string(r, "key"), AvroPaths.string(r, "operator"),
        AvroPaths.string(r, "value"), AvroPaths.string(r, "effect"));
  }
}
