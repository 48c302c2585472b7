package io.kafkube.store;

import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.validation.Defaulter;
import io.kafkube.schemas.validation.FieldError;
import io.kafkube.schemas.validation.ObjectValidator;
import io.kafkube.store.internal.ObjectRules;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** The store's rules are the shared ones of {@code io.kafkube.schemas.validation}, the same the API applies. */
public final class SharedObjectRules implements ObjectRules {

  @Override
  public void applyDefaults(ResourceType type, GenericRecord object) {
    Defaulter.applyDefaults(type, object);
  }

  @Override
  public void prepareForCreate(ResourceType type, GenericRecord object) {
    Defaulter.prepareForCreate(type, object);
  }

  @Override
  public List<Cause> validateCreate(ResourceType type, GenericRecord object) {
    return causes(ObjectValidator.validateCreate(type, object));
  }

  @Override
  public List<Cause> validateUpdate(ResourceType type, GenericRecord object, GenericRecord old) {
    return causes(ObjectValidator.validateUpdate(type, object, old));
  }

  private static List<Cause> causes(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return List.of();
    }
    List<Cause> out = new ArrayList<>(errors.size());
    for (FieldError e : errors) {
      out.add(new Cause(e.type().reason(), e.body(), e.field()));
    }
    return out;
  }
}
