package io.kafkube.store.internal;

import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** The shared defaulting and validation the store applies as the authority on every write. */
public interface ObjectRules {
  void applyDefaults(ResourceType type, GenericRecord object);

  /** Create-only completion once the uid is known (Namespace finalizer, Job selector from the uid). */
  void prepareForCreate(ResourceType type, GenericRecord object);

  List<Cause> validateCreate(ResourceType type, GenericRecord object);

  List<Cause> validateUpdate(ResourceType type, GenericRecord object, GenericRecord old);
}
