package io.kafkube.scheduler.testing;

import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The store's rules for the commands the scheduler sends, for topology tests: BIND only an existing,
 * unbound, not deleting pod with the expected uid; UPDATE_STATUS only with the expected uid and
 * resourceVersion. Returns the new pod to feed back on {@code state.pods}, or null when refused.
 */
public final class StoreModel {
  private final Map<String, GenericRecord> pods = new HashMap<>();
  /** Events the scheduler created, in order. */
  public final java.util.List<GenericRecord> events = new java.util.ArrayList<>();
  /** Pods deleted by the scheduler (preemption), not yet taken by {@link #takeDeleted}. */
  private final java.util.List<String> deleted = new java.util.ArrayList<>();
  private long revision = 1000;

  public void put(String key, GenericRecord pod) {
    pods.put(key, pod);
  }

  public void remove(String key) {
    pods.remove(key);
  }

  public GenericRecord get(String key) {
    return pods.get(key);
  }

  public Map<String, GenericRecord> pods() {
    return pods;
  }

  /** The keys of the pods deleted since the last call: their tombstones are due on state.pods. */
  public java.util.List<String> takeDeleted() {
    java.util.List<String> out = new java.util.ArrayList<>(deleted);
    deleted.clear();
    return out;
  }

  /**
   * Applies a command; returns the changed pod, or null when refused or not a pod change. An Event
   * CREATE is recorded; a pod DELETE (preemption) removes the pod at once, as a node agent finishing
   * the termination would.
   */
  public GenericRecord apply(CommandView cmd) {
    if (cmd.op() == io.kafkube.schemas.envelope.Op.CREATE && "events".equals(cmd.resource())) {
      events.add(cmd.object());
      return null;
    }
    GenericRecord cur = pods.get(cmd.key());
    if (cur == null || (cmd.preconditionUid() != null && !cmd.preconditionUid().equals(Meta.uid(cur)))) {
      return null;
    }
    GenericRecord next;
    switch (cmd.op()) {
      case BIND -> {
        String bound = AvroPaths.string(AvroPaths.record(cur, "spec"), "nodeName");
        if ((bound != null && !bound.isEmpty()) || Meta.deletionTimestamp(cur) != null) {
          return null;
        }
        next = AvroPaths.copy(cur);
        AvroPaths.recordOrCreate(next, "spec").put("nodeName", cmd.nodeName());
      }
      case UPDATE_STATUS -> {
        String rv = cmd.preconditionResourceVersion();
        if (rv != null && !rv.equals(Meta.resourceVersion(cur))) {
          return null;
        }
        next = AvroPaths.copy(cur);
        next.put("status", AvroPaths.copy(AvroPaths.record(cmd.object(), "status")));
      }
      case DELETE -> {
        pods.remove(cmd.key());
        deleted.add(cmd.key());
        return null;
      }
      default -> throw new IllegalArgumentException("the scheduler does not send " + cmd.op());
    }
    Meta.set(next, "resourceVersion", Long.toString(++revision));
    pods.put(cmd.key(), next);
    return next;
  }
}
