package io.kafkube.scheduler.internal;

import org.apache.avro.generic.GenericRecord;

/**
 * A change of an object the scheduler watches, on its way to the scheduling task: the object key of
 * the state topic it came from, and the object (null for a deletion).
 */
public record Event(Kind kind, String key, GenericRecord object) {
  /** What changed; the ordinal is the wire tag, so new kinds are only appended. */
  public enum Kind {
    POD, NODE, PRIORITY_CLASS, POD_DISRUPTION_BUDGET, PERSISTENT_VOLUME_CLAIM, PERSISTENT_VOLUME,
    NAMESPACE, SERVICE, REPLICA_SET, STATEFUL_SET, STORAGE_CLASS
  }
}
