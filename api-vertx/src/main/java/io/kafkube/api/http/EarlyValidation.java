package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.validation.Defaulter;
import io.kafkube.schemas.validation.FieldError;
import io.kafkube.schemas.validation.ObjectValidator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Answers an invalid create at once, without a round trip through Kafka, with the shared rules the
 * store applies as the authority (the store checks again: internal writers bypass the API).
 */
final class EarlyValidation {
  private EarlyValidation() {}

  static void checkCreate(ResourceType type, GenericRecord obj, String namespace) {
    GenericRecord candidate = AvroPaths.copy(obj);
    if (type.namespaced()) {
      Meta.set(candidate, "namespace", namespace);
    }
    Defaulter.applyDefaults(type, candidate);
    List<FieldError> errors = ObjectValidator.validateCreate(type, candidate);
    if (!errors.isEmpty()) {
      String name = Meta.name(obj) == null || Meta.name(obj).isEmpty() ? "" : Meta.name(obj);
      throw new ApiException(Statuses.invalid(type, name,
          errors.stream().map(e -> new Cause(e.type().reason(), e.body(), e.field())).toList()));
    }
  }
}
