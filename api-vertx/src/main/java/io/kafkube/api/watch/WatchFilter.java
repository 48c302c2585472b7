package io.kafkube.api.watch;

import io.kafkube.api.select.FieldSelector;
import io.kafkube.api.select.LabelSelector;
import io.kafkube.schemas.meta.Meta;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/** Which objects a list or watch wants: namespace, labels, fields. */
public record WatchFilter(String namespace, LabelSelector labels, FieldSelector fields)
    implements Predicate<GenericRecord> {

  @Override
  public boolean test(GenericRecord obj) {
    if (obj == null) {
      return false;
    }
    if (namespace != null && Meta.namespace(obj) != null && !namespace.equals(Meta.namespace(obj))) {
      return false;
    }
    return (labels.isEverything() || labels.matches(Meta.labels(obj)))
        && (fields.isEverything() || fields.matches(obj));
  }
}
