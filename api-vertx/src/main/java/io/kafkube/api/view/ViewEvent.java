package io.kafkube.api.view;

import io.kafkube.schemas.resource.ResourceType;
import org.apache.avro.generic.GenericRecord;

/**
 * One change the view applied, as read from {@code history}: the object before and after (either may
 * be null), its revision and where it was in the log. Objects are never mutated once published.
 *
 * @param partition the history partition (= the commands partition of the key)
 * @param offset    its offset in that partition
 */
public record ViewEvent(ResourceType type, String key, GenericRecord before, GenericRecord after, long revision,
    int partition, long offset) {

  /** The object as it is now, or as it was when deleted. */
  public GenericRecord object() {
    return after != null ? after : before;
  }
}
