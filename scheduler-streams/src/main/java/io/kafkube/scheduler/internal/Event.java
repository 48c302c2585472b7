package io.kafkube.scheduler.internal;

import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * A change of an object the scheduler watches, on its way to the scheduling task: the object key of
 * the state topic it came from, and the object (null for a deletion). On the routing side the object is
 * still the state topic's value as written ({@code encoded}, null for a deletion) and is not decoded:
 * the internal topic carries those bytes, and only the scheduling task decodes them. There an event read
 * from the internal topic has both: the object, and the bytes it was decoded from.
 */
public record Event(Kind kind, String key, GenericRecord object, byte[] encoded) {
  /** A decoded change (the scheduling task's side). */
  public Event(Kind kind, String key, GenericRecord object) {
    this(kind, key, object, null);
  }

  /** A change as its state topic holds it: the value's bytes, not decoded (null for a deletion). */
  public static Event encoded(Kind kind, String key, byte[] value) {
    return new Event(kind, key, null, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e && kind == e.kind && Objects.equals(key, e.key) && Objects.equals(object, e.object)
        && Arrays.equals(encoded, e.encoded);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, key, object, Arrays.hashCode(encoded));
  }

  @Override
  public String toString() {
    return "Event[" + kind + " " + key + (object != null ? " decoded" : encoded != null ? " encoded" : " deleted")
        + "]";
  }

  /** What changed; the ordinal is the wire tag, so new kinds are only appended. */
  public enum Kind {
    POD, NODE, PRIORITY_CLASS, POD_DISRUPTION_BUDGET, PERSISTENT_VOLUME_CLAIM, PERSISTENT_VOLUME,
    NAMESPACE, SERVICE, REPLICA_SET, STATEFUL_SET, STORAGE_CLASS
  }
}
