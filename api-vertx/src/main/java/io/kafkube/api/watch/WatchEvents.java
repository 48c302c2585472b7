package io.kafkube.api.watch;

import io.kafkube.api.view.ViewEvent;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a change into what one watcher sees, given its filter: an object that starts matching is
 * ADDED, one that stops matching is DELETED, as kube-apiserver's watch cache decides. Pure.
 */
public final class WatchEvents {
  private WatchEvents() {}

  /** The event type for this watcher, or null when the change is not for it. */
  public static String typeFor(ViewEvent e, Predicate<GenericRecord> filter) {
    boolean before = e.before() != null && filter.test(e.before());
    boolean after = e.after() != null && filter.test(e.after());
    if (after) {
      return before ? "MODIFIED" : "ADDED";
    }
    return before ? "DELETED" : null;
  }
}
