package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;

/** A node's taint. */
public record Taint(String key, String value, String effect) {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

  /** As kube-scheduler prints it: {@code {key: value}}. */
  public String describe() {
    return "{" + key + ": " + (value == null ? "" : value) + "}";
  }

  static Taint of(GenericRecord r) {
    return new Taint(AvroPaths.string(r, "key"), AvroPaths.string(r, "value"), AvroPaths.string(r, "effect"));
  }
}
